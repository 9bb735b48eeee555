//! What `/metrics` counts, in Prometheus's text exposition (OpenMetrics): requests by route
//! and status, their latency, the work waiting in the queues and what imports read.
//!
//! Every label is one of a small, fixed set: a route's pattern (`/activities/{id}`, never the
//! path asked for, so ids neither leak nor multiply the series), a method, a status, a queue
//! or an outcome. Nothing here names an athlete or holds anything they entered.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use soleus_app::health::QueueDepth;

use crate::Shared;

/// The content type of the exposition.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The route of a request that matched none.
const UNMATCHED: &str = "unmatched";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// Latency buckets in seconds: 5 ms doubling to about 10 s.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// This process's counters and gauges.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    duration: Family<RouteLabels, Histogram, fn() -> Histogram>,
    queue: Family<QueueLabels, Gauge>,
    database_up: Gauge,
    import_files: Family<OutcomeLabels, Counter>,
    import_bytes: Counter,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("soleus");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        let duration = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency as fn() -> Histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its answer, by route pattern and method",
            duration.clone(),
        );
        let queue = Family::<QueueLabels, Gauge>::default();
        registry.register(
            "queue_depth",
            "Rows of work not yet finished, by queue, read when scraped",
            queue.clone(),
        );
        let database_up = Gauge::default();
        registry.register(
            "database_up",
            "1 when the database answered this scrape, else 0",
            database_up.clone(),
        );
        let import_files = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "import_files",
            "Files imported from uploads, by outcome",
            import_files.clone(),
        );
        let import_bytes = Counter::default();
        registry.register(
            "import_bytes",
            "Bytes of uploaded files read by imports",
            import_bytes.clone(),
        );
        Metrics {
            registry,
            requests,
            duration,
            queue,
            database_up,
            import_files,
            import_bytes,
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    fn answered(&self, route: &str, method: &'static str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method,
                status,
            })
            .inc();
        self.duration
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
                method,
            })
            .observe(seconds);
    }

    /// Counts one imported file's outcome (`imported`, `duplicate`, `skipped`, `failed`).
    pub fn imported_file(&self, outcome: &'static str) {
        self.import_files
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    /// Counts bytes an import read.
    pub fn imported_bytes(&self, bytes: u64) {
        self.import_bytes.inc_by(bytes);
    }

    /// The exposition, with the queues as `depth` says (`None`: the database did not answer,
    /// and no depth is given rather than an old one).
    pub fn render(&self, depth: Option<QueueDepth>) -> String {
        match depth {
            Some(d) => {
                for (queue, n) in [
                    ("digests", d.digests),
                    ("mail_outbox", d.mail_outbox),
                    ("jobs_queued", d.jobs_queued),
                    ("jobs_running", d.jobs_running),
                ] {
                    self.queue.get_or_create(&QueueLabels { queue }).set(n);
                }
                self.database_up.set(1);
            }
            None => {
                self.queue.clear();
                self.database_up.set(0);
            }
        }
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Counts the imports this process's job worker runs, as the uploads' counters.
pub(crate) struct ImportCounter(pub(crate) Shared);

impl soleus_app::jobs::JobObserver for ImportCounter {
    fn read(&self, bytes: u64) {
        self.0.metrics.imported_bytes(bytes);
    }

    fn file_done(&self, outcome: soleus_app::import::Outcome) {
        use soleus_app::import::Outcome;
        self.0.metrics.imported_file(match outcome {
            Outcome::Imported => "imported",
            Outcome::Duplicate => "duplicate",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        });
    }
}

/// A method as a label: the standard ones by name, anything else as `other`, so a client
/// cannot add series by inventing methods.
fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The middleware that counts every request under its route's pattern.
pub async fn track(State(web): State<Shared>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let res = next.run(req).await;
    web.metrics.answered(
        route.as_deref().unwrap_or(UNMATCHED),
        method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::Metrics;

    #[test]
    fn the_exposition_names_route_patterns_and_drops_stale_queue_depths() {
        let m = Metrics::default();
        m.answered("/activities/{id}", "GET", 200, 0.012);
        m.imported_file("imported");
        m.imported_bytes(4096);
        let up = m.render(Some(soleus_app::health::QueueDepth {
            digests: 2,
            mail_outbox: 1,
            jobs_queued: 0,
            jobs_running: 0,
        }));
        assert!(
            up.contains(
                r#"soleus_http_requests_total{route="/activities/{id}",method="GET",status="200"} 1"#
            ),
            "{up}"
        );
        assert!(
            up.contains(r#"soleus_queue_depth{queue="digests"} 2"#),
            "{up}"
        );
        assert!(up.contains("soleus_import_bytes_total 4096"), "{up}");
        assert!(up.contains("soleus_database_up 1"), "{up}");
        let down = m.render(None);
        assert!(!down.contains("soleus_queue_depth{"), "{down}");
        assert!(down.contains("soleus_database_up 0"), "{down}");
    }
}
