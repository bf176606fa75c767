//! This process's own counters and histograms for `/metrics` (Prometheus): jobs run, how long
//! they took, Telegram API errors, and the process's memory and CPU (the ingress counts the
//! webhooks it answers in its own registry, `src/ingress.rs`).
//! Numbers the database knows for every replica at once (queue depth, orders, revenue) are
//! read at scrape time by the ingress (`src/metrics_route.rs`).

use std::sync::LazyLock;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    /// Job runs by kind and outcome (`done`, `retry`, `snooze`, `failed`).
    pub jobs: IntCounterVec,
    /// Handler time by kind.
    pub job_seconds: HistogramVec,
    /// Bot API calls that did not succeed, by method and code (HTTP or Telegram's).
    pub telegram_errors: IntCounterVec,
    /// Telegram 429s seen, by scope (`chat`, or `bot` when the whole bot was held).
    pub telegram_floods: IntCounterVec,
    /// Bot API calls not made, by reason (`unchanged` edits) and calls held for pacing or
    /// flood control (`paced`, `held`).
    pub telegram_spared: IntCounterVec,
}

// The definitions below are fixed and valid; `expect` documents that, and the unit test
// below builds them all.
static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let registry = Registry::new();
    let counter = |name: &str, help: &str, labels: &[&str]| {
        let metric = IntCounterVec::new(Opts::new(name, help), labels).expect("valid counter");
        registry
            .register(Box::new(metric.clone()))
            .expect("a unique metric name");
        metric
    };
    let metrics = Metrics {
        jobs: counter(
            "bao_jobs_processed_total",
            "Job runs by kind and outcome",
            &["kind", "outcome"],
        ),
        job_seconds: HistogramVec::new(
            HistogramOpts::new(
                "bao_job_duration_seconds",
                "Time a job's handler took, by kind",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                60.0,
            ]),
            &["kind"],
        )
        .expect("valid histogram"),
        telegram_errors: counter(
            "bao_telegram_api_errors_total",
            "Bot API calls that failed, by method and code",
            &["method", "code"],
        ),
        telegram_floods: counter(
            "bao_telegram_floods_total",
            "Telegram 429 answers, by scope (chat or bot)",
            &["scope"],
        ),
        telegram_spared: counter(
            "bao_telegram_calls_spared_total",
            "Bot API calls skipped (unchanged edits) or held (pacing, flood control)",
            &["reason"],
        ),
        registry: registry.clone(),
    };
    registry
        .register(Box::new(metrics.job_seconds.clone()))
        .expect("a unique metric name");
    registry
        .register(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ))
        .expect("a unique metric name");
    metrics
});

pub fn metrics() -> &'static Metrics {
    &METRICS
}

/// This process's metrics in Prometheus's text format.
pub fn render() -> String {
    let mut out = Vec::new();
    if let Err(error) = TextEncoder::new().encode(&METRICS.registry.gather(), &mut out) {
        tracing::warn!(%error, "metrics could not be encoded");
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_defined_and_rendered() {
        metrics().jobs.with_label_values(&["x.y", "done"]).inc();
        metrics()
            .job_seconds
            .with_label_values(&["x.y"])
            .observe(0.01);
        metrics()
            .telegram_errors
            .with_label_values(&["sendMessage", "429"])
            .inc();
        let text = render();
        for name in [
            "bao_jobs_processed_total{kind=\"x.y\",outcome=\"done\"} 1",
            "bao_job_duration_seconds_bucket",
            "bao_telegram_api_errors_total{code=\"429\",method=\"sendMessage\"} 1",
            "process_resident_memory_bytes",
        ] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
    }
}
