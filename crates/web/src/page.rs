//! What every page shares: its title, the navigation with the current page marked, the
//! stylesheet's versioned address, the red-flag banner, the notice after a form saved; and
//! turning a template into a response and a view into a JSON document.

use askama::Template;
use axum::Json;
use axum::response::Html;
use serde::Serialize;
use soleus_app::{AppError, to_json};
use soleus_model::clinical::Triage;

use crate::error::Error;

/// The navigation's entries: (path, label).
pub const NAV: &[(&str, &str)] = &[
    ("/", "Dashboard"),
    ("/activities", "Activities"),
    ("/import", "Import"),
    ("/checkin", "Check-in"),
    ("/plan", "Plan"),
    ("/today", "Today"),
    ("/scores", "Questionnaires"),
    ("/shoes", "Shoes"),
    ("/energy", "Energy"),
    ("/sharing", "Sharing"),
    ("/settings", "Settings"),
];

/// A red flag in force: shown above every page's content until a clinician clears it.
#[derive(Debug, Clone)]
pub struct Alert {
    /// `SOON`, `URGENT` or `EMERGENCY`.
    pub level: &'static str,
    /// The day of the check-in that reported it.
    pub since: String,
    /// What to do now.
    pub action: &'static str,
    /// The level is EMERGENCY.
    pub emergency: bool,
}

impl Alert {
    fn of(record: &soleus_model::assess::TriageRecord) -> Option<Alert> {
        let action = match record.triage {
            Triage::SelfCare if !record.bone_stress_suspected => return None,
            Triage::SelfCare | Triage::Soon => {
                "See a clinician within about a week; every plan and exercise waits until one \
                 has seen you."
            }
            Triage::Urgent => {
                "See a clinician today. Every plan and exercise waits until one has seen you."
            }
            Triage::Emergency => "Call emergency services or go to an emergency department now.",
        };
        Some(Alert {
            level: record.triage.code(),
            since: record.date.to_string(),
            action,
            emergency: record.triage == Triage::Emergency,
        })
    }
}

/// The frame around a page's content.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The page's title (before "· Soleus").
    pub title: String,
    /// The navigation path of the page, marked `aria-current`.
    pub current: Option<&'static str>,
    /// The stylesheet's address, versioned by its content.
    pub stylesheet: &'static str,
    /// The script's address (progressive enhancement only), versioned by its content.
    pub script: &'static str,
    /// A red flag in force, shown first on every page.
    pub alert: Option<Alert>,
    /// What the last form did, from [`crate::form::NOTICES`].
    pub notice: Option<&'static str>,
    /// The signed-in person's name; `None` for the single runner of a database without
    /// accounts.
    pub account: Option<String>,
    /// How many of the signed-in person's notifications are unread.
    pub unread: i64,
    /// Entries after [`NAV`] for the signed-in person's role: a coach's or clinician's
    /// athletes, an administrator's organisation.
    pub more_nav: &'static [(&'static str, &'static str)],
}

impl Chrome {
    /// The frame of a page titled `title`, under navigation entry `current`, without looking
    /// at the athlete's data (error pages).
    pub fn new(title: impl Into<String>, current: Option<&'static str>) -> Chrome {
        Chrome {
            title: title.into(),
            current,
            stylesheet: crate::assets::stylesheet_path(),
            script: crate::assets::script_path(),
            alert: None,
            notice: None,
            account: None,
            unread: 0,
            more_nav: &[],
        }
    }

    /// The same frame, for a signed-in person (their name and the sign-out button).
    pub fn signed_in(mut self, caller: Option<&soleus_app::accounts::Caller>) -> Chrome {
        use soleus_app::accounts::Role;
        self.account = caller.map(|c| c.user.display_name.clone());
        self.unread = caller.map_or(0, |c| c.unread);
        self.more_nav = match caller.map(|c| c.user.role) {
            Some(Role::Coach | Role::Clinician) => &[("/roster", "Athletes")],
            Some(Role::Admin) => &[("/org", "Organisation"), ("/roster", "Athletes")],
            _ => &[],
        };
        self
    }

    /// The frame of one of the athlete's pages: with the red-flag banner when a flag is in
    /// force.
    pub async fn load(
        app: &crate::auth::Me,
        title: impl Into<String>,
        current: Option<&'static str>,
    ) -> Result<Chrome, Error> {
        let mut c = Chrome::new(title, current).signed_in(app.caller.as_ref());
        c.alert = app
            .red_flag_in_force()
            .await
            .map_err(Error::page)?
            .as_ref()
            .and_then(Alert::of);
        Ok(c)
    }

    /// The same frame, saying what the form behind `saved` (a `?saved=` key) did.
    pub fn saved(mut self, saved: Option<&str>) -> Chrome {
        self.notice = crate::form::notice(saved);
        self
    }

    /// The navigation entries with whether each is the current page.
    pub fn nav(&self) -> Vec<(&'static str, &'static str, bool)> {
        NAV.iter()
            .chain(self.more_nav)
            .map(|(p, l)| (*p, *l, self.current == Some(*p)))
            .collect()
    }
}

/// Renders a page template.
pub fn render(t: &impl Template) -> Result<Html<String>, Error> {
    Ok(Html(t.render()?))
}

/// A view as its JSON document: the same document the CLI prints with `--json`.
pub fn json<T: Serialize>(view: &T) -> Result<Json<serde_json::Value>, Error> {
    to_json(view)
        .map(Json)
        .map_err(|e| Error::json(AppError::Internal(format!("writing the document: {e}"))))
}

/// What a `DELETE` under `/api/v1` answers: the id of what is gone.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Deleted {
    /// The id that was deleted.
    pub deleted: soleus_app::EntryId,
}

/// `value` or a dash when there is none.
pub fn or_dash<T>(value: Option<T>, f: impl FnOnce(T) -> String) -> String {
    value.map_or_else(|| "—".to_owned(), f)
}
