//! Soleus in a browser: server-rendered pages and a JSON API over [`soleus_app`].
//!
//! Every page calls one use case of [`App`] and renders its view; the same view, unchanged,
//! is the page's JSON document under `/api/v1` (what the CLI prints with `--json`). The web
//! decides nothing of its own: it maps requests to use cases and [`soleus_app::AppError`]s to
//! statuses ([`error`]).
//!
//! A database without accounts is served to its local athlete on a loopback address only
//! ([`bind`]); with accounts, every page needs a signed-in person and a public address may be
//! bound ([`bind_for`]), behind an HTTPS proxy (its session cookies are then `Secure`).
//!
//! For whoever runs it: `/healthz` (alive), `/readyz` (the database answers and its schema is
//! this release's) and Prometheus metrics at `/metrics`, for this machine or the holder of
//! the metrics token only ([`Options`]); every request is logged in a span with its request id.
//!
//! # Example
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let app = soleus_app::App::open("sqlite:soleus.db").await?;
//! let listener = soleus_web::bind("127.0.0.1:8080".parse()?).await?;
//! soleus_web::serve(app, listener, soleus_web::ctrl_c()).await?;
//! # Ok(()) }
//! ```

mod accounts_api;
mod activities;
mod activity;
mod activity_charts;
mod api;
mod assets;
mod auth;
mod chart;
mod checkin;
mod comments;
mod dashboard;
mod dashboard_charts;
mod drawing;
mod energy;
mod energy_log;
mod energy_page;
pub mod error;
mod form;
mod import;
mod layers;
mod mail;
mod markdown;
mod metrics;
mod notifications;
mod ops;
mod page;
mod password;
mod people;
mod plan;
mod scores;
mod settings;
mod sharing;
mod shoes;
mod shoes_charts;
mod today;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use soleus_app::App;
use tokio::net::TcpListener;

/// The state every handler shares: the app, and what this process counts (uploads and their
/// jobs live in the database). It dereferences to the [`App`], so a handler calls use cases on it directly.
pub type Shared = Arc<Web>;

/// What the server holds: the app, its settings and its metrics.
#[derive(Debug)]
pub struct Web {
    app: App,
    /// Listening on a public address: accounts are required and cookies are `Secure`.
    public: bool,
    /// The database was seen to have accounts (it never loses them while serving).
    accounts_seen: std::sync::atomic::AtomicBool,
    /// The web app's address for links in mail, when an SMTP server is set: then account
    /// mails (reset links, invitations) are queued for the sender loop.
    mail_url: Option<String>,
    /// What `/metrics` counts in this process.
    metrics: metrics::Metrics,
    /// The bearer token `/metrics` asks for; without one it answers this machine only.
    metrics_token: Option<String>,
}

impl Web {
    fn new(app: App, public: bool, options: Options) -> Web {
        Web {
            app,
            public,
            accounts_seen: std::sync::atomic::AtomicBool::new(false),
            mail_url: options.mail_url,
            metrics: metrics::Metrics::default(),
            metrics_token: options.metrics_token.filter(|t| !t.is_empty()),
        }
    }
}

/// How a server runs, besides its app and its listener.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The web app's address for the links in mail, when an SMTP server is set (see
    /// [`serve_with_mail`]).
    pub mail_url: Option<String>,
    /// The token Prometheus sends as `Authorization: Bearer …` to read `/metrics` from
    /// another machine. Without one, `/metrics` answers only connections from this machine
    /// that no proxy passed on.
    pub metrics_token: Option<String>,
    /// Run no job worker in this process (separate `soleus worker` processes run the
    /// uploads' imports). By default a server runs one.
    pub no_jobs: bool,
    /// The name this process's job worker claims jobs by (default: host and process id).
    pub worker_name: Option<String>,
}

/// A name for a process in claims and reports: host and process id.
pub fn process_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "soleus".into());
    format!("{host}:{}", std::process::id())
}

impl std::ops::Deref for Web {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

/// Why the server could not start listening.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BindError {
    /// The address is not a loopback address: the caller asked for something this version
    /// refuses, since there are no accounts to keep other people out.
    #[error(
        "{0} is not a loopback address, and this database has no accounts: Soleus then serves \
         this computer only (use 127.0.0.1 or [::1]), or add the first account with \
         `soleus user add` to serve others, behind an HTTPS proxy"
    )]
    NotLoopback(SocketAddr),
    /// The operating system refused the address (in use, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Io {
        /// The address asked for.
        addr: SocketAddr,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
}

/// Binds `addr`, which must be a loopback address.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, BindError> {
    bind_for(addr, false).await
}

/// Binds `addr` for a database that has accounts (`accounts`) or not: a public address only
/// with accounts, since every page then needs a signed-in person.
pub async fn bind_for(addr: SocketAddr, accounts: bool) -> Result<TcpListener, BindError> {
    if !addr.ip().is_loopback() && !accounts {
        return Err(BindError::NotLoopback(addr));
    }
    TcpListener::bind(addr)
        .await
        .map_err(|source| BindError::Io { addr, source })
}

/// Every route: pages, the JSON API, the stylesheet, `/healthz`, `/readyz` and `/metrics`,
/// behind the middleware.
/// Forms and documents are read up to [`layers::BODY_LIMIT`] within [`layers::TIMEOUT`];
/// uploads have their own limits ([`import::UPLOAD_LIMIT`]).
pub fn router(app: App) -> Router {
    routes(Arc::new(Web::new(app, false, Options::default())))
}

fn routes(state: Shared) -> Router {
    let ordinary = Router::new()
        .merge(ops::router())
        .merge(auth::router())
        .merge(password::router())
        .merge(sharing::router())
        .merge(accounts_api::router())
        .merge(people::router())
        .merge(comments::router())
        .merge(notifications::router())
        .merge(dashboard::router())
        .merge(activities::router())
        .merge(activity::router())
        .merge(settings::router())
        .merge(mail::router())
        .merge(shoes::router())
        .merge(energy::router())
        .merge(energy_log::router())
        .merge(checkin::router())
        .merge(plan::router())
        .merge(today::router())
        .merge(scores::router())
        .merge(assets::router())
        .merge(api::router());
    let routes = layers::ordinary(ordinary)
        .merge(import::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(error::framework_refusals))
        .with_state(state.clone());
    // Outermost, so every answer is counted, the middleware's own refusals too.
    layers::apply(routes).layer(axum::middleware::from_fn_with_state(state, metrics::track))
}

/// Serves `app` on `listener` until `shutdown` completes, lets requests in flight finish, and
/// closes the database (an SQLite file then holds every change on its own). The server's job
/// worker stops with it and gives back an import it was running: each file is stored in its
/// own transaction, so what was stored stays, and the next worker completes the job.
pub async fn serve(
    app: App,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_mail(app, listener, shutdown, None).await
}

/// [`serve`], with mail: `mail_url` is the web app's address for the links in mail (an SMTP
/// server is set, and a sender loop delivers what the pages queue). Without it, the
/// forgot-password page says mail is not set up and invitations are only links to copy.
pub async fn serve_with_mail(
    app: App,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    mail_url: Option<String>,
) -> std::io::Result<()> {
    let options = Options {
        mail_url,
        ..Options::default()
    };
    serve_with(app, listener, shutdown, options).await
}

/// [`serve`], with the [`Options`] a club's server sets: mail, and the metrics token.
pub async fn serve_with(
    app: App,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: Options,
) -> std::io::Result<()> {
    let public = listener
        .local_addr()
        .map(|a| !a.ip().is_loopback())
        .unwrap_or(true);
    let worker =
        (!options.no_jobs).then(|| options.worker_name.clone().unwrap_or_else(process_name));
    let state: Shared = Arc::new(Web::new(app, public, options));
    // The in-process job worker: it stops claiming when the server stops, and gives back a
    // job it holds (another worker, or this server started again, resumes it).
    let jobs = worker.map(|name| {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let observer: Arc<dyn soleus_app::jobs::JobObserver> =
            Arc::new(metrics::ImportCounter(state.clone()));
        let task = tokio::spawn(state.app.clone_handle().run_jobs(
            name,
            soleus_app::jobs::LEASE,
            observer,
            async {
                let _ = rx.await;
            },
        ));
        (tx, task)
    });
    let served = axum::serve(
        listener,
        routes(state.clone()).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    if let Some((tx, task)) = jobs {
        let _ = tx.send(());
        let _ = task.await;
    }
    match Arc::try_unwrap(state) {
        Ok(web) => web.app.close().await,
        Err(_) => {
            tracing::warn!(
                "a request is still being answered; the database closes with the process"
            )
        }
    }
    served
}

/// Completes when the process is asked to stop: Ctrl-C, or (on Unix) SIGTERM from a service
/// manager. The handlers are installed when this is called, not when the future is first
/// polled, so a signal that comes right after a start message is caught, not fatal. Call it
/// inside the runtime.
pub fn ctrl_c() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    #[cfg(unix)]
    let int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
    async move {
        #[cfg(unix)]
        match (term, int) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
                return;
            }
            (Err(e), _) | (_, Err(e)) => tracing::error!("cannot listen for signals: {e}"),
        }
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}; stopping");
        }
    }
}
