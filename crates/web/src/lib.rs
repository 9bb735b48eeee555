//! Soleus in a browser: server-rendered pages and a JSON API over [`soleus_app`].
//!
//! Every page calls one use case of [`App`] and renders its view; the same view, unchanged,
//! is the page's JSON document under `/api/v1` (what the CLI prints with `--json`). The web
//! decides nothing of its own: it maps requests to use cases and [`soleus_app::AppError`]s to
//! statuses ([`error`]).
//!
//! Until accounts exist the server serves the database's local athlete only, so it binds a
//! loopback address only ([`bind`]).
//!
//! # Example
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let app = soleus_app::App::open("sqlite:soleus.db").await?;
//! let listener = soleus_web::bind("127.0.0.1:8080".parse()?).await?;
//! soleus_web::serve(app, listener, soleus_web::ctrl_c()).await?;
//! # Ok(()) }
//! ```

mod activities;
mod activity;
mod activity_charts;
mod assets;
mod chart;
mod dashboard;
mod dashboard_charts;
mod energy;
mod energy_log;
mod energy_page;
pub mod error;
mod form;
mod layers;
mod page;
mod settings;
mod shoes;
mod shoes_charts;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use soleus_app::App;
use tokio::net::TcpListener;

/// The state every handler shares: the athlete's app.
pub type Shared = Arc<App>;

/// Why the server could not start listening.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BindError {
    /// The address is not a loopback address: the caller asked for something this version
    /// refuses, since there are no accounts to keep other people out.
    #[error(
        "{0} is not a loopback address: until accounts exist, Soleus serves this computer only \
         (use 127.0.0.1 or [::1])"
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
    if !addr.ip().is_loopback() {
        return Err(BindError::NotLoopback(addr));
    }
    TcpListener::bind(addr)
        .await
        .map_err(|source| BindError::Io { addr, source })
}

/// Every route: pages, the JSON API, the stylesheet and `/healthz`, behind the middleware.
pub fn router(app: App) -> Router {
    let state: Shared = Arc::new(app);
    let routes = Router::new()
        .route("/healthz", get(healthz))
        .merge(dashboard::router())
        .merge(activities::router())
        .merge(activity::router())
        .merge(settings::router())
        .merge(shoes::router())
        .merge(energy::router())
        .merge(energy_log::router())
        .merge(assets::router())
        .fallback(error::not_found)
        .with_state(state);
    layers::apply(routes)
}

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    app: App,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes when the process is asked to stop (Ctrl-C).
pub async fn ctrl_c() {
    if let Err(e) = tokio::signal::ctrl_c().await {
        tracing::error!("cannot listen for Ctrl-C: {e}; stopping");
    }
}

async fn healthz() -> &'static str {
    "ok\n"
}
