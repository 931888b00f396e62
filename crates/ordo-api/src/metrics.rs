//! `GET /metrics`: Prometheus' text exposition of what the server does. Requests are counted
//! and timed here, by one middleware; the store, the import and the event relays record
//! through the same `metrics` facade, and the process figures are read from /proc when
//! scraped. No label takes an unbounded value: the route is the matched template (or
//! `unmatched`), the method one of the known ones (or `other`), never a path, tenant or id.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Request durations, in seconds: from a cached get-by-id (~100 µs) to a slow page.
const DURATION_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

/// Waits for a store connection, in seconds.
const WAIT_BUCKETS: &[f64] = &[
    0.00001, 0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0,
];

/// How often histograms are folded, so that an unscraped process does not keep every sample.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process' recorder, installed once (the tests run many servers in one process).
pub(crate) fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("ordo_http_request_duration_seconds".into()),
                DURATION_BUCKETS,
            )
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full("ordo_store_pool_wait_seconds".into()),
                    WAIT_BUCKETS,
                )
            })
            .expect("the bucket lists are not empty");
        let handle = match builder.install_recorder() {
            Ok(handle) => handle,
            Err(error) => {
                // Another recorder was installed first (an embedding program's): ours then
                // only renders what is recorded through it.
                tracing::warn!(%error, "a metrics recorder is installed already");
                PrometheusBuilder::new().build_recorder().handle()
            }
        };
        let upkeep = handle.clone();
        let _ = std::thread::Builder::new()
            .name("ordo-metrics".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
        handle
    })
}

/// The routes of `/metrics`: on the main router, or alone on `--metrics-listen`.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/metrics", get(render))
}

/// A router serving only `/metrics`, for a listener of its own.
pub fn router(state: AppState) -> axum::Router {
    routes().with_state(state)
}

async fn render(State(state): State<AppState>) -> Response {
    let pool = state.store.pool_status();
    metrics::gauge!("ordo_store_pool_in_use").set(pool.in_use as f64);
    metrics::gauge!("ordo_store_pool_size").set(pool.size as f64);
    let mut text = handle().render();
    text.push_str(&process_metrics());
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// Counts, times and gauges every request.
pub(crate) async fn middleware(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let surface = surface_of(&route);
    let method = method_label(request.method());
    let in_flight = metrics::gauge!("ordo_http_in_flight");
    in_flight.increment(1.0);
    let response = next.run(request).await;
    in_flight.decrement(1.0);
    let status = response.status();
    let labels = [("surface", surface), ("route", route), ("method", method)];
    metrics::histogram!("ordo_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    let [surface, route, method] = labels;
    let status_label = status.as_str().to_owned();
    if status == axum::http::StatusCode::TOO_MANY_REQUESTS {
        metrics::counter!("ordo_rate_limited_total", "surface" => surface.1.clone()).increment(1);
    }
    metrics::counter!(
        "ordo_http_requests_total",
        &[surface, route, method, ("status", status_label)]
    )
    .increment(1);
    response
}

/// The surface a route template belongs to.
fn surface_of(route: &str) -> String {
    let surface = if route.starts_with("/v1/") {
        "v1"
    } else if route.starts_with("/v3/") {
        "history_v3"
    } else if route.starts_with("/v2/") {
        "customer_orders_v2"
    } else if route.starts_with("/api/v10/") {
        "storefront_v10"
    } else if route == "unmatched" {
        "none"
    } else {
        "operations"
    };
    surface.to_owned()
}

/// A method as a label: the standard ones by name, anything a client invents as `other`.
fn method_label(method: &Method) -> String {
    let known = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
    ];
    if known.contains(method) {
        method.as_str().to_owned()
    } else {
        "other".to_owned()
    }
}

/// Resident memory, open file descriptors and CPU seconds of this process, from /proc, in
/// the names Prometheus' own clients use; nothing where /proc is not there.
fn process_metrics() -> String {
    let mut out = String::new();
    let page = rustix::param::page_size() as u64;
    let ticks = rustix::param::clock_ticks_per_second() as f64;
    if let Some(resident) = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
    {
        out.push_str(&format!(
            "# HELP process_resident_memory_bytes Resident memory size in bytes.\n\
             # TYPE process_resident_memory_bytes gauge\n\
             process_resident_memory_bytes {}\n",
            resident * page
        ));
    }
    if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
        out.push_str(&format!(
            "# HELP process_open_fds Number of open file descriptors.\n\
             # TYPE process_open_fds gauge\n\
             process_open_fds {}\n",
            fds.count()
        ));
    }
    // Fields 14 and 15 of /proc/self/stat (utime, stime), counted after the command name,
    // which may hold spaces, in its parentheses.
    if let Some(cpu) = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
            let user: u64 = fields.get(11)?.parse().ok()?;
            let system: u64 = fields.get(12)?.parse().ok()?;
            Some((user + system) as f64 / ticks)
        })
    {
        out.push_str(&format!(
            "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n\
             # TYPE process_cpu_seconds_total counter\n\
             process_cpu_seconds_total {cpu}\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_bounded() {
        assert_eq!(surface_of("/v1/{kind}/{id}"), "v1");
        assert_eq!(surface_of("unmatched"), "none");
        assert_eq!(surface_of("/health"), "operations");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
    }

    #[test]
    fn process_metrics_are_read_from_proc() {
        let text = process_metrics();
        for name in [
            "process_resident_memory_bytes ",
            "process_open_fds ",
            "process_cpu_seconds_total ",
        ] {
            assert!(text.contains(name), "{name} missing from {text}");
        }
    }
}
