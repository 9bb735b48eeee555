//! Professional profiles: a coach's or clinician's credentials, shown as an article shows its
//! author's, marked verified once their organisation's admin confirms them; and the page of
//! a person, for those who work with them.
//!
//! A person's page is visible to signed-in users of the same organisation and to those
//! linked with them by a grant in force, in either direction; to anyone else it is "not
//! found", exactly as for a person who does not exist. It never shows an address.

use chrono::{DateTime, Utc};
use serde::Serialize;
use soleus_store::accounts::Role;
use soleus_store::{OrgId, UserId};

use super::{Caller, now_ms};
use crate::{App, AppError, Result};

/// The longest credentials text, in characters.
pub const MAX_CREDENTIALS: usize = 200;
/// The longest bio, in characters.
pub const MAX_BIO: usize = 1000;

/// A professional profile as it is shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CredentialsView {
    /// Credentials, as the person wrote them.
    pub credentials: String,
    /// A short bio.
    pub bio: Option<String>,
    /// Whether their organisation's admin confirmed the text as it reads now.
    pub verified: bool,
    /// The organisation whose admin confirmed it.
    pub verified_by: Option<String>,
    /// When.
    pub verified_at: Option<DateTime<Utc>>,
}

/// A person as those who work with them see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonView {
    /// The user.
    pub id: UserId,
    /// The name others see.
    pub display_name: String,
    /// Their role.
    pub role: Role,
    /// Their organisation's name.
    pub org_name: Option<String>,
    /// Their professional profile, if they wrote one.
    pub profile: Option<CredentialsView>,
}

/// A profile as its owner writes it.
#[derive(Debug, Clone, Default)]
pub struct ProfileEdit {
    /// Credentials: 1 to [`MAX_CREDENTIALS`] characters.
    pub credentials: String,
    /// A bio of at most [`MAX_BIO`] characters; empty for none.
    pub bio: String,
}

fn check_text(field: &'static str, text: &str, max: usize, required: bool) -> Result<String> {
    let t = text.trim();
    if (required && t.is_empty())
        || t.chars().count() > max
        || t.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        let what = if required {
            format!("1 to {max} characters")
        } else {
            format!("at most {max} characters")
        };
        return Err(AppError::invalid(
            field,
            format!("{field}: {what}, without control characters"),
        ));
    }
    Ok(t.to_owned())
}

impl App {
    async fn org_name(&self, org: Option<OrgId>) -> Result<Option<String>> {
        let Some(org) = org else { return Ok(None) };
        Ok(self
            .db
            .accounts()
            .orgs()
            .await?
            .into_iter()
            .find(|(id, _)| *id == org)
            .map(|(_, n)| n))
    }

    /// A user's profile as it is shown, if they wrote one.
    pub(crate) async fn profile_view(&self, user: UserId) -> Result<Option<CredentialsView>> {
        let Some(p) = self.db.people().profile(user).await? else {
            return Ok(None);
        };
        let verifier_org = match p.verified_by {
            Some(by) => self.db.accounts().user(by).await?.and_then(|u| u.org),
            None => None,
        };
        Ok(Some(CredentialsView {
            credentials: p.credentials,
            bio: p.bio,
            verified: p.verified_ms.is_some(),
            verified_by: self.org_name(verifier_org).await?,
            verified_at: p.verified_ms.and_then(DateTime::from_timestamp_millis),
        }))
    }

    /// The caller's own profile, for the account page.
    pub async fn my_profile(&self, caller: &Caller) -> Result<Option<CredentialsView>> {
        self.profile_view(caller.user.id).await
    }

    /// A coach or clinician writes their profile; the verification is cleared, so their
    /// organisation's admin confirms the new text again.
    pub async fn set_my_profile(
        &self,
        caller: &Caller,
        edit: &ProfileEdit,
    ) -> Result<CredentialsView> {
        if !matches!(caller.user.role, Role::Coach | Role::Clinician) {
            return Err(AppError::Forbidden(
                "a professional profile is for coaches and clinicians".into(),
            ));
        }
        let credentials = check_text("credentials", &edit.credentials, MAX_CREDENTIALS, true)?;
        let bio = check_text("bio", &edit.bio, MAX_BIO, false)?;
        self.db
            .people()
            .set_profile(
                caller.user.id,
                &credentials,
                Some(bio.as_str()).filter(|b| !b.is_empty()),
                now_ms(),
            )
            .await?;
        self.audit(
            Some(caller.user.id),
            None,
            "profile_edited",
            "professional profile written; its verification cleared",
            None,
        )
        .await;
        self.profile_view(caller.user.id)
            .await?
            .ok_or_else(|| AppError::Internal("the profile just written is gone".into()))
    }

    /// Whether `caller` may see `user`: themselves, the same organisation, or a grant in
    /// force between them in either direction.
    async fn may_see_person(
        &self,
        caller: &Caller,
        user: &soleus_store::accounts::UserRow,
    ) -> Result<bool> {
        if caller.user.id == user.id || (caller.user.org.is_some() && caller.user.org == user.org) {
            return Ok(true);
        }
        let accounts = self.db.accounts();
        if let Some(a) = user.athlete
            && accounts.live_grant(a, caller.user.id).await?.is_some()
        {
            return Ok(true);
        }
        if let Some(a) = caller.user.athlete
            && accounts.live_grant(a, user.id).await?.is_some()
        {
            return Ok(true);
        }
        Ok(false)
    }

    /// A person's page as `caller` may see it; not found when they may not.
    pub async fn person(&self, caller: &Caller, id: UserId) -> Result<PersonView> {
        let not_found = || AppError::NotFound {
            what: "person",
            id: id.to_string(),
        };
        let user = self.db.accounts().user(id).await?.ok_or_else(not_found)?;
        if !self.may_see_person(caller, &user).await? {
            return Err(not_found());
        }
        Ok(PersonView {
            id: user.id,
            display_name: user.display_name.clone(),
            role: user.role,
            org_name: self.org_name(user.org).await?,
            profile: self.profile_view(user.id).await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_texts_are_checked() {
        assert_eq!(
            check_text("credentials", "  DPT, SCS ", MAX_CREDENTIALS, true).unwrap(),
            "DPT, SCS"
        );
        assert!(check_text("credentials", " ", MAX_CREDENTIALS, true).is_err());
        assert!(check_text("credentials", &"x".repeat(201), MAX_CREDENTIALS, true).is_err());
        assert!(check_text("bio", "a\u{0}b", MAX_BIO, false).is_err());
        assert_eq!(check_text("bio", "", MAX_BIO, false).unwrap(), "");
        assert_eq!(
            check_text("bio", "two\nlines", MAX_BIO, false).unwrap(),
            "two\nlines"
        );
    }
}
