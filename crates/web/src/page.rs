//! What every page shares: its title, the navigation with the current page marked, the
//! stylesheet's versioned address; and turning a template into a response.

use askama::Template;
use axum::response::Html;

use crate::error::Error;

/// The navigation's entries: (path, label).
pub const NAV: &[(&str, &str)] = &[
    ("/", "Dashboard"),
    ("/activities", "Activities"),
    ("/profile", "Profile"),
];

/// The frame around a page's content.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The page's title (before "· Soleus").
    pub title: String,
    /// The navigation path of the page, marked `aria-current`.
    pub current: Option<&'static str>,
    /// The stylesheet's address, versioned by its content.
    pub stylesheet: &'static str,
}

impl Chrome {
    /// The frame of a page titled `title`, under navigation entry `current`.
    pub fn new(title: impl Into<String>, current: Option<&'static str>) -> Chrome {
        Chrome {
            title: title.into(),
            current,
            stylesheet: crate::assets::stylesheet_path(),
        }
    }

    /// The navigation entries with whether each is the current page.
    pub fn nav(&self) -> Vec<(&'static str, &'static str, bool)> {
        NAV.iter()
            .map(|(p, l)| (*p, *l, self.current == Some(*p)))
            .collect()
    }
}

/// Renders a page template.
pub fn render(t: &impl Template) -> Result<Html<String>, Error> {
    Ok(Html(t.render()?))
}

/// `value` or a dash when there is none.
pub fn or_dash<T>(value: Option<T>, f: impl FnOnce(T) -> String) -> String {
    value.map_or_else(|| "—".to_owned(), f)
}
