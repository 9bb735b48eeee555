//! A digest made into mail: a subject, an HTML part and a plain-text part with the same
//! content. Numbers are in the recipient's units; every item links to its page in the web
//! app. The HTML is a single 600-pixel column of tables with inline styles (what mail clients
//! keep), with no script, SVG or image: the week's bars are table cells with a width.

use askama::Template;
use chrono::NaiveDate;
use soleus_app::digest::delivery::DigestContent;
use soleus_app::digest::{AthleteDigest, RosterDigest, RosterEntry, Running};
use soleus_model::clinical::Triage;
use soleus_model::units::DistanceUnit;

use crate::MailError;

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The subject line.
    pub subject: String,
    /// The HTML part.
    pub html: String,
    /// The plain-text part.
    pub text: String,
}

/// Where a mail's links go.
#[derive(Debug, Clone)]
pub struct Links {
    /// The web app's address, without a trailing slash.
    pub base: String,
    /// The one-click unsubscribe page of this recipient's digest.
    pub unsubscribe: String,
}

/// A line of the week-against-before table.
#[derive(Debug, Clone)]
pub struct Row {
    /// What it counts.
    pub label: &'static str,
    /// This week.
    pub this: String,
    /// The weekly mean of the 28 days before.
    pub before: String,
}

/// One day's bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// `Mon 23`.
    pub day: String,
    /// `8.2 km`.
    pub value: String,
    /// Width, percent of the longest day (at least 1 so an empty day shows as a line).
    pub pct: u32,
}

/// An item with a heading, a text and a link.
#[derive(Debug, Clone)]
pub struct Item {
    /// Heading.
    pub title: String,
    /// Text.
    pub body: String,
    /// Where to read more.
    pub link: String,
}

/// One athlete in a coach's digest.
#[derive(Debug, Clone)]
pub struct AthleteLine {
    /// Name.
    pub name: String,
    /// What stands out, in words.
    pub notes: Vec<String>,
    /// This week against before.
    pub running: String,
    /// Their page.
    pub link: String,
}

/// A section of a coach's digest.
#[derive(Debug, Clone)]
pub struct Section {
    /// Heading.
    pub title: &'static str,
    /// Athletes.
    pub athletes: Vec<AthleteLine>,
}

/// What both parts of a digest show.
#[derive(Debug, Clone)]
pub struct Model {
    /// The heading.
    pub title: String,
    /// `23–29 November 2026`.
    pub span: String,
    /// `Hello Ana,`.
    pub greeting: String,
    /// The way to a clinician, first.
    pub red_flag: Option<Item>,
    /// This week against the 28 days before.
    pub rows: Vec<Row>,
    /// The distance change in words.
    pub change: Option<String>,
    /// The week's days.
    pub bars: Vec<Bar>,
    /// Overload warnings.
    pub warnings: Vec<Item>,
    /// Comments and replies received.
    pub comments: Vec<Item>,
    /// Other sections: heading, lines, link.
    pub sections: Vec<(String, Vec<String>, String)>,
    /// A coach's athletes.
    pub roster: Vec<Section>,
    /// The web app.
    pub base: String,
    /// The unsubscribe page.
    pub unsubscribe: String,
    /// Settings, where every digest can be turned on or off.
    pub settings: String,
}

#[derive(Template)]
#[template(path = "digest.html")]
struct Html<'a> {
    m: &'a Model,
}

#[derive(Template)]
#[template(path = "digest.txt")]
struct Text<'a> {
    m: &'a Model,
}

fn unit_factor(u: DistanceUnit) -> f64 {
    1000.0 / u.metres()
}

fn dist(km: f64, u: DistanceUnit) -> String {
    format!("{:.1} {}", km * unit_factor(u), u.label())
}

fn climb(m: f64, u: DistanceUnit) -> String {
    match u {
        DistanceUnit::Km => format!("{m:.0} m"),
        DistanceUnit::Miles => format!("{:.0} ft", m / 0.3048),
    }
}

fn span(from: NaiveDate, to: NaiveDate) -> String {
    if from.format("%m%Y").to_string() == to.format("%m%Y").to_string() {
        format!("{}–{}", from.format("%-d"), to.format("%-d %B %Y"))
    } else {
        format!("{}–{}", from.format("%-d %B"), to.format("%-d %B %Y"))
    }
}

fn short_span(from: NaiveDate, to: NaiveDate) -> String {
    format!("{}–{}", from.format("%-d %b"), to.format("%-d %b"))
}

fn rows(w: &Running, b: &Running, u: DistanceUnit) -> Vec<Row> {
    vec![
        Row {
            label: "Distance",
            this: dist(w.distance_km, u),
            before: dist(b.distance_km, u),
        },
        Row {
            label: "Runs",
            this: w.runs.to_string(),
            before: b.runs.to_string(),
        },
        Row {
            label: "Longest run",
            this: dist(w.longest_run_km, u),
            before: dist(b.longest_run_km, u),
        },
        Row {
            label: "Climb",
            this: climb(w.ascent_m, u),
            before: climb(b.ascent_m, u),
        },
        Row {
            label: "Hard minutes",
            this: format!("{:.0}", w.hard_min),
            before: format!("{:.0}", b.hard_min),
        },
    ]
}

/// What a triage level asks for, in words.
pub fn triage_words(t: Triage) -> &'static str {
    match t {
        Triage::Emergency => "Call emergency services or go to an emergency department now.",
        Triage::Urgent => "See a doctor today.",
        Triage::Soon => "See a clinician within about a week, and do not train until then.",
        Triage::SelfCare => "Follow your plan and watch for changes.",
    }
}

fn athlete_model(d: &AthleteDigest, name: Option<&str>, links: &Links) -> Model {
    let u = d.units;
    let base = &links.base;
    let red_flag = d
        .red_flag
        .as_ref()
        .filter(|_| d.red_flag_urgent())
        .map(|r| {
            let mut body = triage_words(r.triage).to_owned();
            if r.bone_stress_suspected {
                body.push_str(
                    " Your check-in suggests possible bone stress: no running until a clinician \
                 has seen you.",
                );
            }
            for f in &r.red_flags {
                body.push(' ');
                body.push_str(&f.because);
            }
            Item {
                title: format!(
                    "A red flag is in force ({}): see a clinician first",
                    r.triage.code()
                ),
                body,
                link: format!("{base}/checkin"),
            }
        });
    let longest = d.days.iter().map(|b| b.distance_km).fold(0.0, f64::max);
    let bars = d
        .days
        .iter()
        .map(|b| Bar {
            day: b.date.format("%a %-d").to_string(),
            value: dist(b.distance_km, u),
            pct: if longest > 0.0 {
                ((b.distance_km / longest * 100.0).round() as u32).max(1)
            } else {
                1
            },
        })
        .collect();
    let change = d.distance_change_pct.map(|p| {
        format!(
            "{} {:.0} % against your weekly average of the 4 weeks before.",
            if p >= 0.0 { "Up" } else { "Down" },
            p.abs()
        )
    });
    let warnings = d
        .warnings
        .iter()
        .map(|w| Item {
            title: w.code.replace('_', " ").to_lowercase(),
            body: if red_flag.is_some() {
                w.because.clone()
            } else {
                format!("{} {}", w.because, w.advice)
            },
            link: format!("{base}/"),
        })
        .collect();
    let comments = d
        .comments
        .iter()
        .map(|c| {
            let (what, link) = match c.on.as_str() {
                "activity" => (
                    "your activity",
                    format!("{base}/activities/{}", c.target_id),
                ),
                "checkin" => ("your check-in", format!("{base}/checkin")),
                "assessment" => ("your assessment", format!("{base}/checkin")),
                _ => ("your plan", format!("{base}/plan")),
            };
            Item {
                title: format!(
                    "{} {} on {what}, {}",
                    c.author,
                    if c.reply { "replied" } else { "commented" },
                    c.at.format("%-d %b")
                ),
                body: format!("“{}”", c.excerpt),
                link,
            }
        })
        .collect();
    let mut sections = Vec::new();
    if d.pain.mean.is_some() || d.checkins > 0 {
        let mut lines = Vec::new();
        if let Some(m) = d.pain.mean {
            lines.push(format!(
                "Pain this week: {m:.1}/10 on average over {} day(s){}.",
                d.pain.days.len(),
                match (d.pain.mean_before, d.pain.trend) {
                    (Some(b), t) if t != "unknown" =>
                        format!(" (the 4 weeks before: {b:.1}/10), {t}"),
                    _ => String::new(),
                }
            ));
        }
        for (day, p) in &d.pain.days {
            lines.push(format!("{}: worst {p}/10", day.format("%a %-d %b")));
        }
        lines.push(format!("Check-ins this week: {}.", d.checkins));
        sections.push(("Pain".to_owned(), lines, format!("{base}/checkin")));
    }
    if let Some(p) = &d.plan {
        let mut lines = Vec::new();
        if p.paused || red_flag.is_some() {
            lines.push("The plan is paused until a clinician has seen you.".to_owned());
            if let Some(r) = &p.blocked_reason {
                lines.push(r.clone());
            }
        } else {
            if let (Some(s), Some(ph)) = (&p.stage, &p.phase) {
                lines.push(format!("Stage {s} ({ph})."));
            }
            lines.push(format!(
                "Runs done on the plan's run days: {} of {}.",
                p.runs_done, p.runs_prescribed
            ));
            for m in &p.to_move_on {
                lines.push(format!("To move on: {m}"));
            }
        }
        sections.push(("Your plan".to_owned(), lines, format!("{base}/plan")));
    }
    if !d.scores.is_empty() {
        let lines = d
            .scores
            .iter()
            .map(|s| {
                format!(
                    "{} on {}: {} of {} (before: {}), {}{}.",
                    s.instrument.replace('_', "-"),
                    s.date.format("%-d %b"),
                    s.to,
                    s.max,
                    s.from,
                    if s.change == 0 {
                        "no change"
                    } else if s.better {
                        "better"
                    } else {
                        "worse"
                    },
                    if s.meaningful {
                        ", a meaningful change"
                    } else {
                        ", less than the smallest meaningful change"
                    }
                )
            })
            .collect();
        sections.push(("Questionnaires".to_owned(), lines, format!("{base}/scores")));
    }
    if !d.shoes.is_empty() {
        let lines = d
            .shoes
            .iter()
            .map(|s| {
                format!(
                    "{}: {} of {}. {}",
                    s.name,
                    dist(s.km, u),
                    dist(s.retire_km, u),
                    s.reminder
                )
            })
            .collect();
        sections.push(("Shoes".to_owned(), lines, format!("{base}/shoes")));
    }
    if let Some(e) = &d.energy {
        let mut lines = vec![format!(
            "Goal: {}. Intake logged on {} of 7 days.",
            e.goal, e.days_logged
        )];
        if let Some(ea) = e.mean_energy_availability {
            lines.push(format!(
                "Energy availability: {ea:.0} kcal per kg of fat-free mass per day on average."
            ));
        }
        lines.extend(e.warnings.iter().cloned());
        sections.push(("Energy".to_owned(), lines, format!("{base}/energy")));
    }
    Model {
        title: "Your week".to_owned(),
        span: span(d.from, d.to),
        greeting: match d.name.as_deref().or(name) {
            Some(n) => format!("Hello {n},"),
            None => "Hello,".to_owned(),
        },
        red_flag,
        rows: rows(&d.week_running, &d.before_per_week, u),
        change,
        bars,
        warnings,
        comments,
        sections,
        roster: Vec::new(),
        base: base.clone(),
        unsubscribe: links.unsubscribe.clone(),
        settings: format!("{base}/settings"),
    }
}

fn athlete_line(e: &RosterEntry, u: DistanceUnit, base: &str) -> AthleteLine {
    let mut notes = Vec::new();
    if let Some(t) = e.red_flag {
        notes.push(format!("Red flag ({}): {}", t.code(), triage_words(t)));
    } else if e.paused {
        notes.push("Training paused until a clinician has seen them.".to_owned());
    }
    for (code, because) in &e.warnings {
        notes.push(format!(
            "{}: {because}",
            code.replace('_', " ").to_lowercase()
        ));
    }
    if e.uploads == 0 {
        notes.push("No activity uploaded this week.".to_owned());
    }
    match e.checkins {
        Some(0) => notes.push("No check-in this week.".to_owned()),
        Some(n) => notes.push(format!(
            "{n} check-in(s); pain {}.",
            e.pain_trend.unwrap_or("unknown")
        )),
        None => {}
    }
    if let Some(p) = &e.plan
        && !p.paused
    {
        notes.push(format!(
            "Plan stage {}: {} of {} run days done.",
            p.stage.as_deref().unwrap_or("?"),
            p.runs_done,
            p.runs_prescribed
        ));
    }
    AthleteLine {
        name: e
            .name
            .clone()
            .unwrap_or_else(|| format!("Athlete {}", e.athlete.0)),
        notes,
        running: format!(
            "{} in {} run(s); weekly average before: {}",
            dist(e.week_running.distance_km, u),
            e.week_running.runs,
            dist(e.before_per_week.distance_km, u)
        ),
        link: format!("{base}/athletes/{}", e.athlete.0),
    }
}

fn roster_model(d: &RosterDigest, name: Option<&str>, links: &Links) -> Model {
    let base = &links.base;
    let section = |title, es: &[RosterEntry]| Section {
        title,
        athletes: es.iter().map(|e| athlete_line(e, d.units, base)).collect(),
    };
    let roster = [
        section("Needs attention", &d.attention),
        section("Did not upload or check in", &d.quiet),
        section("Everyone else", &d.rest),
    ]
    .into_iter()
    .filter(|s| !s.athletes.is_empty())
    .collect();
    Model {
        title: "Your athletes this week".to_owned(),
        span: span(d.from, d.to),
        greeting: match name {
            Some(n) => format!("Hello {n},"),
            None => "Hello,".to_owned(),
        },
        red_flag: None,
        rows: Vec::new(),
        change: None,
        bars: Vec::new(),
        warnings: Vec::new(),
        comments: Vec::new(),
        sections: Vec::new(),
        roster,
        base: base.clone(),
        unsubscribe: links.unsubscribe.clone(),
        settings: format!("{base}/account"),
    }
}

fn finish(m: &Model, subject: String) -> Result<Rendered, MailError> {
    Ok(Rendered {
        subject,
        html: Html { m }.render()?,
        text: Text { m }.render()?,
    })
}

/// An athlete's digest as mail, greeting them by the athlete's name (else `name`).
pub fn athlete(
    d: &AthleteDigest,
    name: Option<&str>,
    links: &Links,
) -> Result<Rendered, MailError> {
    let m = athlete_model(d, name, links);
    let subject = if m.red_flag.is_some() {
        format!(
            "Your week in Soleus ({}): see a clinician first",
            short_span(d.from, d.to)
        )
    } else {
        format!(
            "Your week in Soleus ({}): {}, {} run(s)",
            short_span(d.from, d.to),
            dist(d.week_running.distance_km, d.units),
            d.week_running.runs
        )
    };
    finish(&m, subject)
}

/// A coach's or clinician's digest as mail.
pub fn roster(d: &RosterDigest, name: Option<&str>, links: &Links) -> Result<Rendered, MailError> {
    let m = roster_model(d, name, links);
    let n = d.attention.len();
    let subject = format!(
        "Your athletes in Soleus ({}): {}",
        short_span(d.from, d.to),
        match n {
            0 => "nothing needs your attention".to_owned(),
            1 => "1 needs your attention".to_owned(),
            n => format!("{n} need your attention"),
        }
    );
    finish(&m, subject)
}

/// Either digest as mail.
pub fn digest(c: &DigestContent, name: Option<&str>, links: &Links) -> Result<Rendered, MailError> {
    match c {
        DigestContent::Athlete(d) => athlete(d, name, links),
        DigestContent::Roster(d) => roster(d, name, links),
    }
}
