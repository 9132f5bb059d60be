//! Prometheus text exposition of the service's counters.
//!
//! Hand-written rather than pulling a metrics registry: the series are few and fixed, the
//! text format is small (version 0.0.4), and one short mutex per request is all it costs.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Latency buckets in seconds, the same for HTTP requests and the store's writer.
const BUCKETS: [f64; 14] = store::LATENCY_BUCKETS;

#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Per route: looked up by `&str`, so a request allocates nothing once its route, method
    /// and status have been seen.
    routes: HashMap<String, RouteStats>,
    screenings: BTreeMap<String, u64>,
    hits: u64,
    matches: u64,
    suppressed: u64,
    reloads: BTreeMap<&'static str, u64>,
}

#[derive(Debug, Default)]
struct RouteStats {
    /// (method, status) → requests; a handful of entries per route.
    requests: Vec<(String, u16, u64)>,
    latency: store::LatencyHistogram,
}

impl Metrics {
    pub fn observe_request(&self, route: &str, method: &str, status: u16, took: Duration) {
        let Ok(mut m) = self.inner.lock() else { return };
        if !m.routes.contains_key(route) {
            m.routes.insert(route.to_string(), RouteStats::default());
        }
        let Some(r) = m.routes.get_mut(route) else {
            return;
        };
        match r
            .requests
            .iter_mut()
            .find(|(me, st, _)| *st == status && me == method)
        {
            Some((_, _, n)) => *n += 1,
            None => r.requests.push((method.to_string(), status, 1)),
        }
        r.latency.observe(took);
    }

    pub fn observe_screening(&self, endpoint: &str, hits: u64, matches: u64, suppressed: u64) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.screenings.entry(endpoint.to_string()).or_default() += 1;
        m.hits += hits;
        m.matches += matches;
        m.suppressed += suppressed;
    }

    pub fn observe_reload(&self, ok: bool) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.reloads
            .entry(if ok { "ok" } else { "failed" })
            .or_default() += 1;
    }

    /// The exposition text; `lists` adds per-source entity gauges, `writer` the database
    /// writer's commits and waits.
    pub fn render(
        &self,
        lists: &[(String, u64)],
        loaded_at_unix: i64,
        uptime: Duration,
        writer: &store::WriterStats,
    ) -> String {
        let mut out = String::with_capacity(4096);
        let Ok(m) = self.inner.lock() else { return out };
        let _ = writeln!(
            out,
            "# HELP raqib_http_requests_total HTTP requests by route, method and status."
        );
        let _ = writeln!(out, "# TYPE raqib_http_requests_total counter");
        let mut routes: Vec<(&String, &RouteStats)> = m.routes.iter().collect();
        routes.sort_by(|a, b| a.0.cmp(b.0));
        let mut requests: Vec<(&String, &String, u16, u64)> = routes
            .iter()
            .flat_map(|(route, r)| {
                r.requests
                    .iter()
                    .map(move |(me, st, n)| (*route, me, *st, *n))
            })
            .collect();
        requests.sort();
        for (route, method, status, n) in requests {
            let _ = writeln!(
                out,
                "raqib_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                esc(route),
                esc(method)
            );
        }
        let _ = writeln!(
            out,
            "# HELP raqib_http_request_duration_seconds HTTP request latency."
        );
        let _ = writeln!(out, "# TYPE raqib_http_request_duration_seconds histogram");
        for (route, stats) in &routes {
            let labels = format!("route=\"{}\"", esc(route));
            write_histogram(
                &mut out,
                "raqib_http_request_duration_seconds",
                &labels,
                &stats.latency,
            );
        }
        let _ = writeln!(
            out,
            "# HELP raqib_screenings_total Screened subjects by endpoint."
        );
        let _ = writeln!(out, "# TYPE raqib_screenings_total counter");
        for (e, n) in &m.screenings {
            let _ = writeln!(out, "raqib_screenings_total{{endpoint=\"{}\"}} {n}", esc(e));
        }
        write_counter(
            &mut out,
            "raqib_hits_total",
            "Hits returned (at or above the cutoff).",
            m.hits,
        );
        write_counter(
            &mut out,
            "raqib_matches_total",
            "Hits at or above the match threshold.",
            m.matches,
        );
        write_counter(
            &mut out,
            "raqib_suppressed_hits_total",
            "Hits shown as suppressed by a false-positive decision.",
            m.suppressed,
        );
        let _ = writeln!(
            out,
            "# HELP raqib_list_reloads_total List reload attempts by result."
        );
        let _ = writeln!(out, "# TYPE raqib_list_reloads_total counter");
        for result in ["ok", "failed"] {
            let _ = writeln!(
                out,
                "raqib_list_reloads_total{{result=\"{result}\"}} {}",
                m.reloads.get(result).copied().unwrap_or(0)
            );
        }
        drop(m);
        let _ = writeln!(
            out,
            "# HELP raqib_list_entities Entities loaded per list source."
        );
        let _ = writeln!(out, "# TYPE raqib_list_entities gauge");
        for (source, n) in lists {
            let _ = writeln!(out, "raqib_list_entities{{source=\"{}\"}} {n}", esc(source));
        }
        let _ = writeln!(
            out,
            "# HELP raqib_lists_loaded_timestamp_seconds When the live lists were loaded."
        );
        let _ = writeln!(out, "# TYPE raqib_lists_loaded_timestamp_seconds gauge");
        let _ = writeln!(out, "raqib_lists_loaded_timestamp_seconds {loaded_at_unix}");
        let _ = writeln!(
            out,
            "# HELP raqib_uptime_seconds Seconds since the server started."
        );
        let _ = writeln!(out, "# TYPE raqib_uptime_seconds gauge");
        let _ = writeln!(out, "raqib_uptime_seconds {}", uptime.as_secs());
        render_writer(&mut out, writer);
        out
    }
}

/// The group-commit writer's series: a slow answer is slow matching or a slow database.
fn render_writer(out: &mut String, w: &store::WriterStats) {
    write_counter(
        out,
        "raqib_store_commits_total",
        "Database transactions of the request-path writer.",
        w.commits,
    );
    write_counter(
        out,
        "raqib_store_jobs_total",
        "Writes (screenings, decisions, audit entries) those transactions carried.",
        w.jobs,
    );
    for (name, help, h) in [
        (
            "raqib_store_commit_duration_seconds",
            "Wall time of one writer transaction, BEGIN to the end of COMMIT.",
            &w.commit,
        ),
        (
            "raqib_store_wait_seconds",
            "Time a request waits for its write to be committed (queueing plus commit).",
            &w.wait,
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} histogram");
        write_histogram(out, name, "", h);
    }
}

/// One counter's `# HELP`, `# TYPE` and value lines.
fn write_counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} counter");
    let _ = writeln!(out, "{name} {value}");
}

/// One histogram's `_bucket` (cumulative counts over [`BUCKETS`]), `_sum` and `_count`
/// lines; `labels` (`key="value"`, may be empty) goes on each.
fn write_histogram(out: &mut String, name: &str, labels: &str, h: &store::LatencyHistogram) {
    let sep = if labels.is_empty() { "" } else { "," };
    let (count, sum) = (h.count, h.sum_seconds);
    let mut cumulative = 0;
    for (b, n) in BUCKETS.iter().zip(h.counts) {
        cumulative += n;
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{b}\"}} {cumulative}");
    }
    let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
    let braced = if labels.is_empty() {
        String::new()
    } else {
        format!("{{{labels}}}")
    };
    let _ = writeln!(out, "{name}_sum{braced} {sum}");
    let _ = writeln!(out, "{name}_count{braced} {count}");
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_labels_escaped() {
        let m = Metrics::default();
        m.observe_request("/v1/screen", "POST", 200, Duration::from_micros(800));
        m.observe_request("/v1/screen", "POST", 200, Duration::from_millis(20));
        m.observe_request("/x\"y", "GET", 404, Duration::from_millis(1));
        let text = m.render(
            &[("un".into(), 1003)],
            0,
            Duration::from_secs(5),
            &store::WriterStats::default(),
        );
        assert!(text.contains(
            "raqib_http_requests_total{route=\"/v1/screen\",method=\"POST\",status=\"200\"} 2"
        ));
        assert!(text.contains("le=\"0.001\"} 1"));
        assert!(text.contains("route=\"/v1/screen\",le=\"0.025\"} 2"));
        assert!(text.contains("route=\"/x\\\"y\""));
        assert!(text.contains("raqib_list_entities{source=\"un\"} 1003"));
    }

    #[test]
    fn writer_histograms_are_rendered_cumulatively() {
        let mut w = store::WriterStats {
            commits: 3,
            jobs: 40,
            ..Default::default()
        };
        w.commit.counts[0] = 1; // <= 0.5 ms
        w.commit.counts[6] = 2; // (7.5 ms, 10 ms]
        w.commit.count = 3;
        w.commit.sum_seconds = 0.02;
        let m = Metrics::default();
        let text = m.render(&[], 0, Duration::from_secs(1), &w);
        assert!(text.contains("raqib_store_commits_total 3"), "{text}");
        assert!(text.contains("raqib_store_jobs_total 40"));
        assert!(text.contains("raqib_store_commit_duration_seconds_bucket{le=\"0.0005\"} 1"));
        assert!(text.contains("raqib_store_commit_duration_seconds_bucket{le=\"0.0075\"} 1"));
        assert!(text.contains("raqib_store_commit_duration_seconds_bucket{le=\"0.01\"} 3"));
        assert!(text.contains("raqib_store_commit_duration_seconds_bucket{le=\"+Inf\"} 3"));
        assert!(text.contains("raqib_store_commit_duration_seconds_count 3"));
        assert!(text.contains("raqib_store_wait_seconds_count 0"));
    }
}
