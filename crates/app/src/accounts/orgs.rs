//! An organisation run by its admins: they invite members by mail, see who belongs, disable
//! a member, and confirm a coach's or clinician's credentials.
//!
//! An organisation invitation is a random 256-bit token in a link; the database keeps its
//! SHA-256. It opens once, for the one address it was made for, within
//! [`ORG_INVITATION_LIFETIME_MS`]. Everything here answers "not found" to anyone who is not
//! an admin of the organisation, exactly as for an organisation that does not exist.

use chrono::{DateTime, Utc};
use serde::Serialize;
use soleus_store::accounts::Role;
use soleus_store::people::OrgInvitationRow;
use soleus_store::{OrgId, UserId};

use super::people::CredentialsView;
use super::{Caller, SignUp, SignedIn, UserView, new_token, now_ms, token_hash};
use crate::{App, AppError, Result};

/// How long an organisation invitation opens: 7 days.
pub const ORG_INVITATION_LIFETIME_MS: i64 = 7 * 24 * 3_600_000;

fn when(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Where an organisation invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgInvitationState {
    /// It can be used.
    Open,
    /// It was used.
    Used,
    /// Its time ran out.
    Expired,
}

/// An invitation to join an organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgInvitationView {
    /// Id (what withdrawing names).
    pub id: i64,
    /// The organisation it joins.
    pub org: OrgId,
    /// Its name.
    pub org_name: String,
    /// The one address that may use it.
    pub email: String,
    /// The role the member gets.
    pub role: Role,
    /// When it stops opening.
    pub expires: DateTime<Utc>,
    /// Where it stands.
    pub state: OrgInvitationState,
    /// The link's path with its token: only in the answer to whoever made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl OrgInvitationView {
    fn of(row: &OrgInvitationRow, now: i64) -> OrgInvitationView {
        OrgInvitationView {
            id: row.id,
            org: row.org,
            org_name: row.org_name.clone(),
            email: row.email.clone(),
            role: row.role,
            expires: when(row.expires_ms),
            state: if row.used_ms.is_some() {
                OrgInvitationState::Used
            } else if row.expires_ms <= now {
                OrgInvitationState::Expired
            } else {
                OrgInvitationState::Open
            },
            link: None,
        }
    }
}

/// One member, as their organisation's admin sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    /// The user.
    pub id: UserId,
    /// The name others see.
    pub display_name: String,
    /// Sign-in address (the admin invited it).
    pub email: String,
    /// Their role.
    pub role: Role,
    /// A disabled member cannot sign in.
    pub disabled: bool,
    /// Their professional profile, if they wrote one.
    pub profile: Option<CredentialsView>,
}

/// An organisation as its admin sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgView {
    /// Id.
    pub id: OrgId,
    /// Name.
    pub name: String,
    /// Every member, by name.
    pub members: Vec<MemberView>,
    /// Invitations not used and not expired, newest first.
    pub invitations: Vec<OrgInvitationView>,
}

/// An invitation to make.
#[derive(Debug, Clone)]
pub struct NewMember {
    /// The address it is for.
    pub email: String,
    /// The role the member gets.
    pub role: Role,
}

/// A new account made from an organisation invitation.
#[derive(Debug, Clone)]
pub struct InvitedSignUp {
    /// The password, checked against [`super::password::check`].
    pub password: String,
    /// The name others see.
    pub display_name: String,
}

fn not_found() -> AppError {
    AppError::NotFound {
        what: "organisation",
        id: "of yours".into(),
    }
}

impl App {
    /// The organisation `caller` is an admin of, with its name; not found for anyone else.
    pub(crate) async fn admin_org(&self, caller: &Caller) -> Result<(OrgId, String)> {
        let org = match (caller.user.role, caller.user.org) {
            (Role::Admin, Some(org)) => org,
            _ => return Err(not_found()),
        };
        let name = self
            .db
            .accounts()
            .orgs()
            .await?
            .into_iter()
            .find(|(id, _)| *id == org)
            .map(|(_, n)| n)
            .ok_or_else(not_found)?;
        Ok((org, name))
    }

    /// Makes an invitation to join `org` (`soleus org invite`, or an admin's form through
    /// [`App::invite_member`]); the answer carries the link's path (once).
    pub async fn org_invite(
        &self,
        org: OrgId,
        new: &NewMember,
        by: Option<UserId>,
    ) -> Result<OrgInvitationView> {
        let email = super::check_email(&new.email)?;
        let token = new_token()?;
        let now = now_ms();
        let people = self.db.people();
        let id = people
            .add_org_invitation(
                org,
                &email,
                new.role,
                &token_hash(&token),
                now,
                now + ORG_INVITATION_LIFETIME_MS,
            )
            .await
            .map_err(|e| match e {
                soleus_store::StoreError::NotFound { .. } => AppError::NotFound {
                    what: "organisation",
                    id: org.to_string(),
                },
                e => e.into(),
            })?;
        self.audit(
            by,
            None,
            "org_invite",
            &format!("{email} invited to organisation {org} as {}", new.role),
            None,
        )
        .await;
        let row = people
            .org_invitation(&token_hash(&token))
            .await?
            .ok_or_else(|| AppError::Internal("the invitation just made is gone".into()))?;
        Ok(OrgInvitationView {
            id,
            link: Some(format!("/join/{token}")),
            ..OrgInvitationView::of(&row, now)
        })
    }

    /// [`App::org_invite`], and a mail with the link on `public_url`, queued for the sender.
    pub async fn org_invite_by_mail(
        &self,
        org: OrgId,
        new: &NewMember,
        by: Option<UserId>,
        public_url: &str,
    ) -> Result<OrgInvitationView> {
        let inv = self.org_invite(org, new, by).await?;
        let link = format!(
            "{}{}",
            public_url.trim_end_matches('/'),
            inv.link.as_deref().unwrap_or_default()
        );
        self.queue_account_mail(&super::reset::NewOutboxMail {
            kind: super::reset::OutboxKind::OrgInvitation,
            email: &inv.email,
            name: None,
            about: Some(&inv.org_name),
            link: &link,
        })
        .await?;
        Ok(inv)
    }

    /// An admin invites a member to their organisation, by mail when `public_url` is given.
    pub async fn invite_member(
        &self,
        caller: &Caller,
        new: &NewMember,
        public_url: Option<&str>,
    ) -> Result<OrgInvitationView> {
        let (org, _) = self.admin_org(caller).await?;
        match public_url {
            Some(url) => {
                self.org_invite_by_mail(org, new, Some(caller.user.id), url)
                    .await
            }
            None => self.org_invite(org, new, Some(caller.user.id)).await,
        }
    }

    /// The admin's page of their organisation.
    pub async fn org_page(&self, caller: &Caller) -> Result<OrgView> {
        let (org, name) = self.admin_org(caller).await?;
        let now = now_ms();
        let people = self.db.people();
        let mut members = Vec::new();
        for u in self.db.accounts().users().await? {
            if u.org != Some(org) {
                continue;
            }
            let profile = self.profile_view(u.id).await?;
            members.push(MemberView {
                id: u.id,
                display_name: u.display_name,
                email: u.email,
                role: u.role,
                disabled: u.disabled,
                profile,
            });
        }
        members.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        let invitations = people
            .open_org_invitations(org, now)
            .await?
            .iter()
            .map(|r| OrgInvitationView::of(r, now))
            .collect();
        Ok(OrgView {
            id: org,
            name,
            members,
            invitations,
        })
    }

    /// A member of the admin's organisation; not found for anyone else.
    async fn member(&self, caller: &Caller, member: UserId) -> Result<(OrgId, String, UserView)> {
        let (org, name) = self.admin_org(caller).await?;
        let user = self
            .db
            .accounts()
            .user(member)
            .await?
            .filter(|u| u.org == Some(org))
            .ok_or_else(|| AppError::NotFound {
                what: "member",
                id: member.to_string(),
            })?;
        Ok((org, name, UserView::from(&user)))
    }

    /// An admin disables (or enables again) a member of their organisation; disabling ends
    /// the member's sessions. An admin cannot disable themselves.
    pub async fn set_member_disabled(
        &self,
        caller: &Caller,
        member: UserId,
        disabled: bool,
    ) -> Result<UserView> {
        let (_, _, user) = self.member(caller, member).await?;
        if user.id == caller.user.id {
            return Err(AppError::invalid(
                "member",
                "you cannot disable your own account here",
            ));
        }
        let accounts = self.db.accounts();
        accounts.set_disabled(user.id, disabled).await?;
        let action = if disabled { "disable" } else { "enable" };
        self.audit(
            Some(caller.user.id),
            user.athlete,
            action,
            &format!("member {} by their organisation's admin", user.id),
            None,
        )
        .await;
        let row = accounts.user(user.id).await?.ok_or_else(not_found)?;
        Ok(UserView::from(&row))
    }

    /// An admin withdraws one of their organisation's open invitations.
    pub async fn withdraw_org_invitation(&self, caller: &Caller, id: i64) -> Result<()> {
        let (org, _) = self.admin_org(caller).await?;
        if !self.db.people().withdraw_org_invitation(org, id).await? {
            return Err(AppError::NotFound {
                what: "invitation",
                id: id.to_string(),
            });
        }
        self.audit(
            Some(caller.user.id),
            None,
            "org_invitation_withdrawn",
            &format!("invitation {id} to organisation {org}"),
            None,
        )
        .await;
        Ok(())
    }

    /// An admin confirms a member's professional profile as it reads now.
    pub async fn verify_member_profile(
        &self,
        caller: &Caller,
        member: UserId,
    ) -> Result<CredentialsView> {
        let (_, _, user) = self.member(caller, member).await?;
        if !self
            .db
            .people()
            .verify_profile(user.id, caller.user.id, now_ms())
            .await?
        {
            return Err(AppError::NotFound {
                what: "profile",
                id: member.to_string(),
            });
        }
        self.audit(
            Some(caller.user.id),
            None,
            "profile_verified",
            &format!("the credentials of member {}", user.id),
            None,
        )
        .await;
        self.profile_view(user.id).await?.ok_or_else(not_found)
    }

    /// The invitation a link's token names, for its page. An unknown token is not found.
    pub async fn org_invitation(&self, token: &str) -> Result<OrgInvitationView> {
        let row = self
            .db
            .people()
            .org_invitation(&token_hash(token))
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: "invitation",
                id: "in this link".into(),
            })?;
        Ok(OrgInvitationView::of(&row, now_ms()))
    }

    /// Refuses an invitation that is no longer open.
    fn check_open(inv: &OrgInvitationView) -> Result<()> {
        match inv.state {
            OrgInvitationState::Open => Ok(()),
            OrgInvitationState::Used => Err(AppError::Conflict(
                "this invitation was used already".into(),
            )),
            OrgInvitationState::Expired => Err(AppError::Conflict(
                "this invitation has expired: ask the organisation's admin for a new one".into(),
            )),
        }
    }

    /// The signed-in caller, whose address must be the one invited, joins the organisation
    /// with the invitation's role.
    pub async fn join_org(&self, caller: &Caller, token: &str) -> Result<UserView> {
        let inv = self.org_invitation(token).await?;
        if !inv.email.eq_ignore_ascii_case(&caller.user.email) {
            return Err(AppError::Forbidden(format!(
                "this invitation is for another address: sign in as {} to use it",
                inv.email
            )));
        }
        Self::check_open(&inv)?;
        if caller.user.org.is_some_and(|o| o != inv.org) {
            return Err(AppError::Conflict(
                "you belong to another organisation already".into(),
            ));
        }
        // An invitation never takes the administration away from the one who holds it (an
        // organisation left without its admin could not invite anyone again).
        if caller.user.org == Some(inv.org) && caller.user.role == Role::Admin {
            return Err(AppError::Conflict(
                "you are this organisation's admin already: an invitation does not change \
                 an admin's role"
                    .into(),
            ));
        }
        self.use_invitation(&inv, caller.user.id).await?;
        let row = self
            .db
            .accounts()
            .user(caller.user.id)
            .await?
            .ok_or_else(not_found)?;
        Ok(UserView::from(&row))
    }

    /// Makes an account for the invited address from its invitation, in its organisation
    /// with its role, and signs it in.
    pub async fn sign_up_invited(
        &self,
        token: &str,
        new: &InvitedSignUp,
        address: Option<&str>,
    ) -> Result<SignedIn> {
        let inv = self.org_invitation(token).await?;
        Self::check_open(&inv)?;
        let user = self
            .add_user(&SignUp {
                email: inv.email.clone(),
                password: new.password.clone(),
                display_name: new.display_name.clone(),
                role: inv.role,
                org: Some(inv.org),
            })
            .await?;
        self.audit(
            Some(user.id),
            user.athlete,
            "sign_up",
            "account made from an organisation invitation",
            address,
        )
        .await;
        self.use_invitation(&inv, user.id).await?;
        self.start_session(&user).await
    }

    async fn use_invitation(&self, inv: &OrgInvitationView, user: UserId) -> Result<()> {
        if !self
            .db
            .people()
            .use_org_invitation(inv.id, user, now_ms())
            .await?
        {
            return Err(AppError::Conflict(
                "this invitation cannot be used any more".into(),
            ));
        }
        self.audit(
            Some(user),
            None,
            "org_join",
            &format!("joined organisation {} as {}", inv.org, inv.role),
            None,
        )
        .await;
        Ok(())
    }
}
