//! The activities list (`/activities`, `/api/v1/activities`): sorted by date, distance, time
//! or pace, filtered by sport and by a range of local days, a page at a time, in the
//! athlete's units. The filter is a plain GET form, so the address is the list: it can be
//! bookmarked, and every page link keeps it. One activity is [`crate::activity`].

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde::Deserialize;
use soleus_app::ActivityId;
use soleus_app::AppError;
use soleus_app::activities::{ActivitiesView, ActivityListed, pace};
use soleus_model::Units;
use soleus_model::activity::Sport;
use soleus_model::units::duration;

use crate::Shared;
use crate::auth::Me;
use crate::error::{Error, Shape};
use crate::form::Problem;
use crate::page::{Chrome, json, or_dash, render};

/// Activities on one page of the list.
pub const PER_PAGE: usize = 25;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/activities", get(list_page))
        .route("/api/v1/activities", get(list_api))
}

/// `?page=N` (from 1) for the page; `?limit=N` for the document, as `soleus activities --limit`;
/// `sort`, `order`, `sport`, `from`, `to` for both.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    page: Option<String>,
    limit: Option<String>,
    sort: Option<String>,
    order: Option<String>,
    sport: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// What the list can be sorted by: (value, label).
pub const SORTS: &[(&str, &str)] = &[
    ("date", "Date"),
    ("distance", "Distance"),
    ("time", "Time"),
    ("pace", "Pace"),
];

/// The list's order and filter, read and checked from the address.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One of [`SORTS`].
    pub sort: &'static str,
    /// Largest (latest, longest, slowest) first.
    pub descending: bool,
    /// Only this sport.
    pub sport: Option<Sport>,
    /// Local days from …
    pub from: Option<chrono::NaiveDate>,
    /// … to, both included.
    pub to: Option<chrono::NaiveDate>,
}

fn date(
    field: &'static str,
    label: &str,
    s: Option<&str>,
) -> Result<Option<chrono::NaiveDate>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            AppError::invalid(
                field,
                format!("{label} {s:?} is not a date: write it as YYYY-MM-DD"),
            )
        }),
    }
}

impl ListQuery {
    /// The order and filter asked for; a value that names nothing is the person's mistake,
    /// answered beside its field.
    pub fn filter(&self) -> Result<Filter, AppError> {
        let pick = crate::form::given;
        let sort = match pick(&self.sort) {
            None => "date",
            Some(s) => SORTS
                .iter()
                .find(|(k, _)| *k == s)
                .map(|(k, _)| *k)
                .ok_or_else(|| {
                    AppError::invalid(
                        "sort",
                        format!("sort {s:?} is not one of: date, distance, time, pace"),
                    )
                })?,
        };
        let descending = match pick(&self.order) {
            None => sort != "pace", // the fastest first, else the latest or longest
            Some("desc") => true,
            Some("asc") => false,
            Some(o) => {
                return Err(AppError::invalid(
                    "order",
                    format!("order {o:?} is not asc or desc"),
                ));
            }
        };
        let sport = match pick(&self.sport) {
            None => None,
            Some(s) => Some(Sport::parse(s).ok_or_else(|| {
                AppError::invalid("sport", format!("sport {s:?} is not one Soleus knows"))
            })?),
        };
        let from = date("from", "From", pick(&self.from))?;
        let to = date("to", "To", pick(&self.to))?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(AppError::invalid(
                "from",
                format!("from {f} is after to {t}"),
            ));
        }
        Ok(Filter {
            sort,
            descending,
            sport,
            from,
            to,
        })
    }
}

impl Filter {
    /// `activities` kept and ordered as asked. Activities without the value sorted on come
    /// last either way; ties keep the newest first.
    pub fn apply(&self, view: &mut ActivitiesView) {
        view.activities.retain(|l| {
            let day = l.local_start.date();
            self.sport.is_none_or(|s| l.row.sport == s)
                && self.from.is_none_or(|f| day >= f)
                && self.to.is_none_or(|t| day <= t)
        });
        let key = |l: &ActivityListed| -> Option<f64> {
            match self.sort {
                "distance" => l.row.distance_m,
                "time" => l.row.moving_s.or(l.row.elapsed_s),
                "pace" => pace(&l.row),
                _ => Some(l.row.start.timestamp() as f64),
            }
        };
        view.activities.sort_by(|a, b| match (key(a), key(b)) {
            (Some(x), Some(y)) => {
                let o = x.total_cmp(&y);
                let o = if self.descending { o.reverse() } else { o };
                o.then(b.row.start.cmp(&a.row.start))
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => b.row.start.cmp(&a.row.start),
        });
    }

    /// The address's query for this filter, without the page (`sort=pace&order=asc`).
    pub fn query(&self) -> String {
        let mut q = vec![format!("sort={}", self.sort)];
        q.push(format!(
            "order={}",
            if self.descending { "desc" } else { "asc" }
        ));
        if let Some(s) = self.sport {
            q.push(format!("sport={}", s.as_str()));
        }
        if let Some(f) = self.from {
            q.push(format!("from={f}"));
        }
        if let Some(t) = self.to {
            q.push(format!("to={t}"));
        }
        q.join("&")
    }

    /// What the list shows, in words.
    pub fn words(&self) -> String {
        let by = SORTS
            .iter()
            .find(|(k, _)| *k == self.sort)
            .map_or("Date", |(_, l)| *l);
        let dir = match (self.sort, self.descending) {
            ("date", true) => "newest first",
            ("date", false) => "oldest first",
            ("pace", false) => "fastest first",
            ("pace", true) => "slowest first",
            (_, true) => "largest first",
            (_, false) => "smallest first",
        };
        let mut w = format!("sorted by {}, {dir}", by.to_lowercase());
        if let Some(s) = self.sport {
            w.push_str(&format!("; {} only", s.label()));
        }
        match (self.from, self.to) {
            (Some(f), Some(t)) => w.push_str(&format!("; {f} to {t}")),
            (Some(f), None) => w.push_str(&format!("; from {f}")),
            (None, Some(t)) => w.push_str(&format!("; up to {t}")),
            (None, None) => {}
        }
        w
    }
}

fn number(field: &'static str, s: Option<&str>) -> Result<Option<usize>, AppError> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(field, format!("{field} {s:?} is not a whole number"))),
    }
}

/// An id in a path; anything that is not one names nothing, so it is "not found".
pub fn id(s: &str, shape: Shape) -> Result<ActivityId, Error> {
    s.parse().map_err(|_| Error::no_route(shape))
}

async fn list_api(app: Me, Query(q): Query<ListQuery>) -> Result<Json<serde_json::Value>, Error> {
    let limit = number("limit", q.limit.as_deref()).map_err(Error::json)?;
    let page = number("page", q.page.as_deref()).map_err(Error::json)?;
    let filter = q.filter().map_err(Error::json)?;
    let mut view = app.activities(None, None).await.map_err(Error::json)?;
    filter.apply(&mut view);
    match page {
        Some(0) => {
            return Err(Error::json(AppError::invalid(
                "page",
                "pages are counted from 1",
            )));
        }
        // The page's activities, as the list page shows them (past the end: none).
        Some(p) => {
            view.activities = std::mem::take(&mut view.activities)
                .into_iter()
                .skip((p - 1).saturating_mul(PER_PAGE))
                .take(PER_PAGE)
                .collect();
        }
        None => {}
    }
    if let Some(n) = limit {
        view.activities.truncate(n);
    }
    json(&view)
}

/// One activity as a row of the list.
pub struct Row {
    pub id: ActivityId,
    pub date: String,
    pub sport: &'static str,
    pub name: String,
    pub distance: String,
    pub time: String,
    pub pace: String,
    pub ascent: String,
    pub hr: String,
}

/// The row of `l` in `units`.
pub fn row(l: &ActivityListed, units: Units) -> Row {
    let r = &l.row;
    Row {
        id: r.id,
        date: l.local_start.format("%Y-%m-%d %H:%M").to_string(),
        sport: r.sport.label(),
        name: l.name.clone().unwrap_or_default(),
        distance: or_dash(r.distance_m, |d| units.distance(d)),
        time: or_dash(r.moving_s.or(r.elapsed_s), duration),
        pace: if r.sport.is_on_foot() {
            or_dash(pace(r), |p| units.pace(p))
        } else {
            "—".into()
        },
        ascent: or_dash(r.ascent_m, |a| units.elevation(a)),
        hr: or_dash(r.avg_hr, |h| h.to_string()),
    }
}

#[derive(Template)]
#[template(path = "activities.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
    first: usize,
    last: usize,
    /// The filter as the form shows it.
    form: ListQuery,
    problem: Problem,
    /// `sort=…&order=…` for the page links.
    keep: String,
    words: String,
    sorts: &'static [(&'static str, &'static str)],
    date_fields: &'static [(&'static str, &'static str)],
    sports: Vec<(&'static str, &'static str)>,
    /// Activities before the filter.
    all: usize,
}

impl ListPage {
    fn value<'a>(&'a self, name: &str) -> &'a str {
        let v = match name {
            "sort" => &self.form.sort,
            "order" => &self.form.order,
            "sport" => &self.form.sport,
            "from" => &self.form.from,
            "to" => &self.form.to,
            _ => &None,
        };
        v.as_deref().unwrap_or("")
    }
}

async fn list_page(app: Me, Query(q): Query<ListQuery>) -> Result<Response, Error> {
    let page = number("page", q.page.as_deref())
        .map_err(Error::page)?
        .unwrap_or(1);
    let mut view = app.activities(None, None).await.map_err(Error::page)?;
    let all = view.activities.len();
    let mut sports: Vec<(&'static str, &'static str)> = view
        .activities
        .iter()
        .map(|l| (l.row.sport.as_str(), l.row.sport.label()))
        .collect();
    sports.sort_unstable();
    sports.dedup();
    let chrome = Chrome::load(&app, "Activities", Some("/activities")).await?;
    // A filter that names nothing is shown again beside its field, over the whole list.
    let (filter, problem) = match q.filter() {
        Ok(f) => (f, Problem::default()),
        Err(e) => (
            Filter {
                sort: "date",
                descending: true,
                ..Filter::default()
            },
            Problem::of(e)?,
        ),
    };
    let status = if problem.field.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    filter.apply(&mut view);
    let total = view.activities.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    if page == 0 || page > pages {
        return Err(Error::page(AppError::NotFound {
            what: "page",
            id: page.to_string(),
        }));
    }
    let start = (page - 1) * PER_PAGE;
    let rows: Vec<Row> = view
        .activities
        .iter()
        .skip(start)
        .take(PER_PAGE)
        .map(|l| row(l, view.units))
        .collect();
    let page = render(&ListPage {
        chrome,
        first: if total == 0 { 0 } else { start + 1 },
        last: start + rows.len(),
        rows,
        total,
        page,
        pages,
        keep: filter.query(),
        words: filter.words(),
        form: q,
        problem,
        sorts: SORTS,
        date_fields: &[
            ("from", "From (day, included)"),
            ("to", "To (day, included)"),
        ],
        sports,
        all,
    })?;
    Ok((status, page).into_response())
}
