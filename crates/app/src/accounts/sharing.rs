//! Sharing, started and ended by the athlete: invitations to a coach or clinician, the grants
//! they become, "who can see my data", and a coach's roster.
//!
//! An invitation is a random 256-bit token in a link; the database keeps its SHA-256. It opens
//! once, for the one address it was made for, within [`INVITATION_LIFETIME_MS`]. The medical
//! scope (check-ins, assessments, questionnaires, clinician notes) is included by default for
//! a clinician and not for a coach; the athlete chooses.

use chrono::{DateTime, Utc};
use serde::Serialize;
use soleus_store::AthleteId;
use soleus_store::accounts::{GrantRow, Level, NewShareInvitation, Role, ShareInvitationRow};

use super::{Caller, new_token, now_ms, token_hash};
use crate::{App, AppError, Result};

/// How long an invitation opens: 7 days.
pub const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 3_600_000;

fn when(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// An invitation the athlete makes.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    /// The address of the coach or clinician; only an account with it can accept.
    pub email: String,
    /// Coach or clinician.
    pub role: Role,
    /// What they may do.
    pub level: Level,
    /// Whether the medical scope is included (default: for a clinician, not for a coach).
    pub medical: Option<bool>,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    /// It can be accepted.
    Open,
    /// It was accepted.
    Accepted,
    /// The athlete withdrew it.
    Withdrawn,
    /// Its time ran out.
    Expired,
}

/// An invitation, as its maker and its recipient see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    /// Id.
    pub id: i64,
    /// The athlete who shares.
    pub athlete: AthleteId,
    /// Their name.
    pub athlete_name: Option<String>,
    /// The address it is for.
    pub email: String,
    /// Coach or clinician.
    pub role: Role,
    /// What they may do.
    pub level: Level,
    /// Whether the medical scope is included.
    pub medical: bool,
    /// When it stops opening.
    pub expires: DateTime<Utc>,
    /// Where it stands.
    pub state: InvitationState,
    /// The link's path with its token: only in the answer to the athlete who made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A grant in force, on "who can see my data" and the roster.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantView {
    /// Id (what revoking names).
    pub id: i64,
    /// Whose data.
    pub athlete: AthleteId,
    /// The athlete's name.
    pub athlete_name: Option<String>,
    /// Who may see it.
    pub user_name: String,
    /// Their role.
    pub role: Role,
    /// What they may do.
    pub level: Level,
    /// Whether the medical scope is included.
    pub medical: bool,
    /// Since when.
    pub since: DateTime<Utc>,
}

impl From<&GrantRow> for GrantView {
    fn from(g: &GrantRow) -> GrantView {
        GrantView {
            id: g.id,
            athlete: g.athlete,
            athlete_name: g.athlete_name.clone(),
            user_name: g.user_name.clone(),
            role: g.user_role,
            level: g.level,
            medical: g.medical,
            since: when(g.created_ms),
        }
    }
}

/// "Who can see my data": every grant in force and every open invitation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharingView {
    /// Grants in force, oldest first.
    pub grants: Vec<GrantView>,
    /// Invitations not yet accepted, newest first.
    pub invitations: Vec<InvitationView>,
}

fn state(i: &ShareInvitationRow, now: i64) -> InvitationState {
    if i.used_ms.is_some() {
        InvitationState::Accepted
    } else if i.withdrawn_ms.is_some() {
        InvitationState::Withdrawn
    } else if i.expires_ms <= now {
        InvitationState::Expired
    } else {
        InvitationState::Open
    }
}

impl App {
    /// This athlete invites a coach or clinician; the answer carries the link (once).
    pub async fn invite(&self, caller: &Caller, new: &NewInvitation) -> Result<InvitationView> {
        let email = super::check_email(&new.email)?;
        if email.eq_ignore_ascii_case(&caller.user.email) {
            return Err(AppError::invalid(
                "email",
                "that is your own address: invite your coach's or clinician's",
            ));
        }
        if !matches!(new.role, Role::Coach | Role::Clinician) {
            return Err(AppError::invalid("role", "invite a coach or a clinician"));
        }
        let medical = new.medical.unwrap_or(new.role == Role::Clinician);
        let token = new_token()?;
        let now = now_ms();
        let athlete = self.athlete_id();
        let id = self
            .db
            .accounts()
            .add_share_invitation(
                athlete,
                &NewShareInvitation {
                    email: &email,
                    role: new.role,
                    level: new.level,
                    medical,
                    token_hash: &token_hash(&token),
                    expires_ms: now + INVITATION_LIFETIME_MS,
                },
                now,
            )
            .await?;
        self.audit(
            Some(caller.user.id),
            Some(athlete),
            "invite",
            &format!(
                "{} as {} ({}, medical scope {})",
                email,
                new.role,
                new.level,
                if medical { "included" } else { "not included" }
            ),
            None,
        )
        .await;
        self.notify_invitation(&email, &caller.user.display_name, new.role.as_str(), id)
            .await;
        Ok(InvitationView {
            id,
            athlete,
            athlete_name: Some(caller.user.display_name.clone()),
            email,
            role: new.role,
            level: new.level,
            medical,
            expires: when(now + INVITATION_LIFETIME_MS),
            state: InvitationState::Open,
            link: Some(format!("/invitations/{token}")),
        })
    }

    /// [`App::invite`], and a mail to the invited address with the link on `public_url`,
    /// queued for the sender loop.
    pub async fn invite_by_mail(
        &self,
        caller: &Caller,
        new: &NewInvitation,
        public_url: &str,
    ) -> Result<InvitationView> {
        let inv = self.invite(caller, new).await?;
        let link = format!(
            "{}{}",
            public_url.trim_end_matches('/'),
            inv.link.as_deref().unwrap_or_default()
        );
        self.queue_account_mail(&super::reset::NewOutboxMail {
            kind: super::reset::OutboxKind::Invitation,
            email: &inv.email,
            name: None,
            about: Some(&caller.user.display_name),
            link: &link,
        })
        .await?;
        Ok(inv)
    }

    /// The invitation a link's token names, for its accept page. An unknown token is not
    /// found.
    pub async fn invitation(&self, token: &str) -> Result<InvitationView> {
        let accounts = self.db.accounts();
        let row = accounts
            .share_invitation(&token_hash(token))
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: "invitation",
                id: "in this link".into(),
            })?;
        let name = self
            .db
            .athletes()
            .await?
            .into_iter()
            .find(|a| a.id == row.athlete)
            .and_then(|a| a.display_name);
        Ok(InvitationView {
            id: row.id,
            athlete: row.athlete,
            athlete_name: name,
            email: row.email.clone(),
            role: row.role,
            level: row.level,
            medical: row.medical,
            expires: when(row.expires_ms),
            state: state(&row, now_ms()),
            link: None,
        })
    }

    /// Accepts an invitation as the signed-in caller, whose address must be the one invited.
    pub async fn accept_invitation(&self, caller: &Caller, token: &str) -> Result<GrantView> {
        let inv = self.invitation(token).await?;
        if !inv.email.eq_ignore_ascii_case(&caller.user.email) {
            return Err(AppError::Forbidden(format!(
                "this invitation is for another address: sign in as {} to accept it",
                inv.email
            )));
        }
        if caller.user.athlete == Some(inv.athlete) {
            return Err(AppError::invalid("token", "this is your own invitation"));
        }
        if inv.state != InvitationState::Open {
            return Err(AppError::Conflict(match inv.state {
                InvitationState::Accepted => "this invitation was accepted already".into(),
                InvitationState::Withdrawn => "the athlete withdrew this invitation".into(),
                _ => "this invitation has expired: ask the athlete for a new one".into(),
            }));
        }
        let accounts = self.db.accounts();
        if !accounts
            .accept_share_invitation(inv.id, caller.user.id, now_ms())
            .await?
        {
            return Err(AppError::Conflict(
                "this invitation cannot be accepted any more".into(),
            ));
        }
        self.audit(
            Some(caller.user.id),
            Some(inv.athlete),
            "grant",
            &format!("invitation accepted ({})", inv.level),
            None,
        )
        .await;
        let grant = accounts
            .live_grant(inv.athlete, caller.user.id)
            .await?
            .ok_or(AppError::Conflict("the grant was revoked at once".into()))?;
        Ok(GrantView::from(&grant))
    }

    /// "Who can see my data" for this athlete.
    pub async fn sharing(&self) -> Result<SharingView> {
        let accounts = self.db.accounts();
        let athlete = self.athlete_id();
        let now = now_ms();
        let grants = accounts.grants_on(athlete).await?;
        let invitations = accounts.open_share_invitations(athlete, now).await?;
        Ok(SharingView {
            grants: grants.iter().map(GrantView::from).collect(),
            invitations: invitations
                .iter()
                .map(|i| InvitationView {
                    id: i.id,
                    athlete,
                    athlete_name: None,
                    email: i.email.clone(),
                    role: i.role,
                    level: i.level,
                    medical: i.medical,
                    expires: when(i.expires_ms),
                    state: state(i, now),
                    link: None,
                })
                .collect(),
        })
    }

    /// Revokes one of this athlete's grants: page access, notifications and the next digest
    /// end at once.
    pub async fn revoke_grant(&self, caller: &Caller, grant: i64) -> Result<()> {
        let athlete = self.athlete_id();
        if !self
            .db
            .accounts()
            .revoke_grant(athlete, grant, now_ms())
            .await?
        {
            return Err(AppError::NotFound {
                what: "grant",
                id: grant.to_string(),
            });
        }
        self.audit(
            Some(caller.user.id),
            Some(athlete),
            "revoke",
            &format!("grant {grant} revoked"),
            None,
        )
        .await;
        Ok(())
    }

    /// Withdraws one of this athlete's open invitations.
    pub async fn withdraw_invitation(&self, id: i64) -> Result<()> {
        if !self
            .db
            .accounts()
            .withdraw_share_invitation(self.athlete_id(), id, now_ms())
            .await?
        {
            return Err(AppError::NotFound {
                what: "invitation",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Notes in the audit log that `caller` viewed `athlete`'s medical data.
    pub async fn audit_view(&self, caller: &Caller, athlete: AthleteId, what: &str) {
        self.audit(
            Some(caller.user.id),
            Some(athlete),
            "medical_view",
            what,
            None,
        )
        .await;
    }
}
