//! The harness every web test shares: the real server on a free loopback port over a real
//! SQLite file with real device files imported, and a small HTTP client.

#![allow(dead_code)] // each test binary uses its own part

use std::path::PathBuf;

use axum::body::Body;
use chrono::NaiveDate;
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use soleus_app::App;
use soleus_app::import::{ImportOptions, NoProgress};
use soleus_app::profile::ProfileChange;

/// Three runs of June 2013 from one watch, read in place.
pub const RUNS: &[&str] = &[
    "tcx/trackeR__2013-06-14-105252.TCX.gz",
    "tcx/trackeR__2013-06-19-183041.TCX.gz",
    "tcx/trackeR__2013-06-23-080959.TCX.gz",
];
/// The day the dashboard looks at: the last run's.
pub const ON: &str = "2013-06-23";

pub struct Spawned {
    pub base: String,
    /// The database's URL, for a second server on it.
    pub url: String,
    /// A second handle on the same database, for the expected views.
    pub app: App,
    pub client: Client<HttpConnector, Body>,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

pub struct Answer {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON document")
    }
}

pub fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

/// A fresh database (days in UTC, `units` for distances), the runs imported, and the server
/// listening on a free loopback port.
pub async fn spawn_app(units: &str, import: bool) -> Spawned {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("soleus.db").display());
    let app = App::open(&url).await.unwrap();
    app.set_profile(&ProfileChange {
        time_zone: Some("UTC".into()),
        units: Some(units.into()),
        ..ProfileChange::default()
    })
    .await
    .unwrap();
    if import {
        let paths: Vec<PathBuf> = RUNS.iter().map(|r| corpus(r)).collect();
        let report = app
            .import(&paths, &ImportOptions::default(), &mut NoProgress)
            .await
            .unwrap();
        assert_eq!(
            app.activities(None, None).await.unwrap().activities.len(),
            RUNS.len(),
            "{report:?}"
        );
    }
    let (base, stop) = serve_on(&url).await;
    Spawned {
        base,
        url,
        app,
        client: Client::builder(TokioExecutor::new()).build_http(),
        _stop: stop,
        _dir: dir,
    }
}

/// [`spawn_app`] on the database `url` names (a fresh PostgreSQL database, say): days in UTC,
/// distances in km, the runs imported, and the server on a free loopback port.
pub async fn spawn_on_url(url: &str) -> Spawned {
    let app = App::open(url).await.unwrap();
    app.set_profile(&ProfileChange {
        time_zone: Some("UTC".into()),
        units: Some("km".into()),
        ..ProfileChange::default()
    })
    .await
    .unwrap();
    let paths: Vec<PathBuf> = RUNS.iter().map(|r| corpus(r)).collect();
    app.import(&paths, &ImportOptions::default(), &mut NoProgress)
        .await
        .unwrap();
    let (base, stop) = serve_on(url).await;
    Spawned {
        base,
        url: url.to_owned(),
        app,
        client: Client::builder(TokioExecutor::new()).build_http(),
        _stop: stop,
        _dir: tempfile::tempdir().unwrap(),
    }
}

/// Another server process's worth: a server of its own on the database `url` names, on a
/// free loopback port. It stops when the sender is dropped.
pub async fn serve_on(url: &str) -> (String, tokio::sync::oneshot::Sender<()>) {
    serve_with_mail_on(url, None).await
}

/// [`serve_on`], with mail set up when `mail_url` (the address mails link to) is given.
pub async fn serve_with_mail_on(
    url: &str,
    mail_url: Option<&str>,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let served = App::open(url).await.unwrap();
    let listener = soleus_web::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(soleus_web::serve_with_mail(
        served,
        listener,
        async {
            let _ = stopped.await;
        },
        mail_url.map(str::to_owned),
    ));
    (base, stop)
}

/// A fresh database with no runs, served with mail set up: mails link to `mail_url`.
pub async fn spawn_with_mail(mail_url: &str) -> Spawned {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("soleus.db").display());
    let app = App::open(&url).await.unwrap();
    let (base, stop) = serve_with_mail_on(&url, Some(mail_url)).await;
    Spawned {
        base,
        url,
        app,
        client: Client::builder(TokioExecutor::new()).build_http(),
        _stop: stop,
        _dir: dir,
    }
}

impl Spawned {
    pub async fn get(&self, path: &str) -> Answer {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut req = axum::http::Request::get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// Posts `body` as `content_type`, with `headers` (a browser's `Origin` and
    /// `Sec-Fetch-Site`, say).
    pub async fn post(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<Body>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut req = axum::http::Request::post(format!("{}{path}", self.base))
            .header("content-type", content_type);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(body.into()).unwrap()).await
    }

    /// Posts a form as a browser on the page's own site does.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = form_urlencoded(fields);
        let origin = self.base.clone();
        self.post(
            path,
            "application/x-www-form-urlencoded",
            body,
            &[("origin", &origin), ("sec-fetch-site", "same-origin")],
        )
        .await
    }

    /// Posts a JSON document as a program does (no browser headers).
    pub async fn post_json(&self, path: &str, doc: &serde_json::Value) -> Answer {
        self.post(path, "application/json", doc.to_string(), &[])
            .await
    }

    pub async fn send(&self, req: axum::http::Request<Body>) -> Answer {
        let res = self.client.request(req).await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn first_id(&self) -> soleus_app::ActivityId {
        self.app.activities(None, None).await.unwrap().activities[0].id
    }
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn assert_page(a: &Answer, what: &str) {
    assert_eq!(a.status, 200, "{what}: {}", a.body);
    assert_eq!(
        a.header("content-type"),
        "text/html; charset=utf-8",
        "{what}"
    );
    assert!(a.body.contains("<main id=\"main\">"), "{what}");
    assert_tables_scroll(&a.body, what);
}

/// Every table of a page sits alone in its own scroll box, a region a keyboard can focus and a
/// screen reader names, so a wide table scrolls inside it and never widens a phone's page.
pub fn assert_tables_scroll(body: &str, what: &str) {
    const BOX: &str = r#"<div class="scroll" tabindex="0" role="region" aria-label=""#;
    for (at, _) in body.match_indices("<table") {
        let before = &body[..at];
        let open = before
            .rfind("<div")
            .unwrap_or_else(|| panic!("{what}: a table outside any box"));
        let tag_end = open + before[open..].find('>').unwrap();
        assert!(
            before[open..].starts_with(BOX) && before[tag_end + 1..].trim().is_empty(),
            "{what}: a table not alone in a labelled scroll box: {}",
            &body[open..(at + 80).min(body.len())]
        );
        assert!(
            !before[open + BOX.len()..].starts_with('"'),
            "{what}: a scroll box without a name"
        );
    }
}

/// Askama's escaping of text in a page.
pub fn askama_escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// `application/x-www-form-urlencoded` of `fields`.
pub fn form_urlencoded(fields: &[(&str, &str)]) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The session cookie a sign-in or sign-up set, as `name=value`.
pub fn cookie(a: &Answer) -> String {
    let set = a.header("set-cookie");
    assert!(!set.is_empty(), "no cookie set: {} {}", a.status, a.body);
    set.split(';').next().unwrap().to_owned()
}

/// Signs up `name` at `email` as `role` (the test password), and returns the session cookie.
pub async fn sign_up(s: &Spawned, name: &str, email: &str, role: &str) -> String {
    let a = s
        .post_form(
            "/signup",
            &[
                ("display_name", name),
                ("email", email),
                ("password", "larch meadow 42"),
                ("role", role),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    cookie(&a)
}

/// A page as the browser signed in with `cookie` asks for it.
pub async fn get_as(s: &Spawned, path: &str, cookie: &str) -> Answer {
    s.get_with(path, &[("cookie", cookie)]).await
}

/// Posts a form body as the browser signed in with `cookie` does (same origin).
pub async fn post_body_as(s: &Spawned, path: &str, cookie: &str, body: String) -> Answer {
    s.post(
        path,
        "application/x-www-form-urlencoded",
        body,
        &[
            ("cookie", cookie),
            ("origin", s.base.as_str()),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await
}

/// Posts a form as the browser signed in with `cookie` does.
pub async fn post_as(s: &Spawned, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Answer {
    post_body_as(s, path, cookie, form_urlencoded(fields)).await
}

/// Every (method, path) a `.route("…", …)` in the web crate's source registers.
pub fn routes_in_source() -> std::collections::BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = std::collections::BTreeSet::new();
    let mut files = vec![dir];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if p.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let src = std::fs::read_to_string(&p).unwrap();
        let mut rest = src.as_str();
        while let Some(at) = rest.find(".route(") {
            // The call's text, to its balanced closing parenthesis.
            let call = &rest[at + ".route(".len()..];
            let mut depth = 1;
            let end = call
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(call.len(), |(i, _)| i);
            let call = &call[..end];
            rest = &rest[at + 1..];
            let Some(path) = call
                .trim_start()
                .strip_prefix('"')
                .and_then(|c| c.split('"').next())
            else {
                continue;
            };
            let handlers = &call[call.find(',').unwrap_or(call.len())..];
            for method in ["get", "post", "delete", "put", "patch"] {
                let hits = handlers.match_indices(&format!("{method}(")).any(|(i, _)| {
                    let b = handlers.as_bytes()[i - 1];
                    !b.is_ascii_alphanumeric() && b != b'_'
                });
                if hits {
                    found.insert((method.to_uppercase(), path.to_owned()));
                }
            }
        }
    }
    found
}

/// Ana invites `email` as `role` at `level`; they sign up as `name` and accept.
pub async fn share(
    s: &Spawned,
    ana: &str,
    name: &str,
    email: &str,
    role: &str,
    level: &str,
) -> String {
    let made = post_as(
        s,
        "/sharing/invite",
        ana,
        &[("email", email), ("role", role), ("level", level)],
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let at = made.body.find("/invitations/").expect("a link");
    let link = made.body[at..at + "/invitations/".len() + 64].to_owned();
    let them = sign_up(s, name, email, role).await;
    let ok = post_as(s, &format!("{link}/accept"), &them, &[]).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    them
}

/// A GPX run of `km` kilometres along the equator on `day` from 07:00 UTC: a fix every 30 m
/// (0.001° of longitude is 111.3195 m there: the WGS84 equatorial radius × π/180 × 0.001) and
/// every 10 s (3 m/s).
pub fn gpx_run(day: chrono::NaiveDate, km: f64) -> String {
    let steps = (km * 1000.0 / 30.0).round() as u32;
    let deg_per_m = 0.001 / 111.319_5;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"soleus-test\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><type>running</type><trkseg>\n",
    );
    let start = day.and_hms_opt(7, 0, 0).unwrap().and_utc();
    for i in 0..=steps {
        let t = start + chrono::Duration::seconds(i64::from(i) * 10);
        s += &format!(
            "<trkpt lat=\"0.0\" lon=\"{:.7}\"><time>{}</time></trkpt>\n",
            10.0 + f64::from(i) * 30.0 * deg_per_m,
            t.format("%Y-%m-%dT%H:%M:%SZ")
        );
    }
    s + "</trkseg></trk></gpx>\n"
}

/// Stores a check-in of the runner's, written as its JSON document.
pub async fn check_in(s: &Spawned, json: &str) -> soleus_app::checkin::CheckinSaved {
    s.app
        .store_checkin(&soleus_model::assess::CheckIn::from_json(json).unwrap())
        .await
        .unwrap()
}

/// Imports files for the runner, as `soleus import` does.
pub async fn import_files(s: &Spawned, paths: &[std::path::PathBuf]) {
    s.app
        .import(
            paths,
            &soleus_app::import::ImportOptions::default(),
            &mut soleus_app::import::NoProgress,
        )
        .await
        .unwrap();
}

/// A check-in on `day` with the red flags of a possible deep-vein thrombosis (breathless, the
/// whole calf swollen): EMERGENCY triage (assess_rules.toml), which stops every plan.
pub async fn red_flag_check_in(s: &Spawned, day: impl std::fmt::Display) {
    check_in(
        s,
        &format!(
            r#"{{"date":"{day}","side":"left","regions":["CALF_MID"],
            "breathless_or_chest_pain":true,"swelling":"whole_calf"}}"#
        ),
    )
    .await;
}
