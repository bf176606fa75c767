//! Logs to the console (stderr) and to daily files `LOG_DIR/main/YYYY-MM-DD.log`, as text or
//! JSON lines. The level comes from `RUST_LOG` when set, else `LOG_LEVEL`. Errors are also
//! counted and flushed to `telemetry_events` (`log.errors`), for the owners' alert.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tracing::{Level, Subscriber};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::{LogFormat, Settings};

/// Daily files kept before the oldest is deleted.
const KEEP_FILES: usize = 30;

/// Install the global subscriber. Keep the returned guard alive: dropping it flushes and
/// stops the file writer.
pub fn init(settings: &Settings) -> anyhow::Result<WorkerGuard> {
    let dir = settings.log_dir.join("main");
    std::fs::create_dir_all(&dir).with_context(|| {
        format!(
            "cannot create the log directory {} (LOG_DIR)",
            dir.display()
        )
    })?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(&dir)
        .with_context(|| format!("cannot write log files in {} (LOG_DIR)", dir.display()))?;
    let (file_writer, guard) = tracing_appender::non_blocking(appender);
    let filter = || {
        std::env::var("RUST_LOG")
            .ok()
            .and_then(|f| EnvFilter::try_new(f).ok())
            .unwrap_or_else(|| {
                EnvFilter::try_new(format!("{},sqlx=warn", settings.log_level))
                    .unwrap_or_else(|_| EnvFilter::new("info"))
            })
    };
    let (console, file) = match settings.log_format {
        LogFormat::Text => (
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .boxed(),
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(file_writer)
                .boxed(),
        ),
        LogFormat::Json => (
            tracing_subscriber::fmt::layer()
                .json()
                .with_writer(std::io::stderr)
                .boxed(),
            tracing_subscriber::fmt::layer()
                .json()
                .with_writer(file_writer)
                .boxed(),
        ),
    };
    tracing_subscriber::registry()
        .with(CountErrors)
        .with(console.with_filter(filter()))
        .with(file.with_filter(filter()))
        .try_init()
        .context("a log subscriber was already installed")?;
    Ok(guard)
}

/// ERROR events logged by this process and not yet flushed.
static ERRORS: AtomicU64 = AtomicU64::new(0);

/// How often the error count goes to the database.
const FLUSH_ERRORS: Duration = Duration::from_secs(5);

struct CountErrors;

impl<S: Subscriber> Layer<S> for CountErrors {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if *event.metadata().level() == Level::ERROR {
            ERRORS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Move this process's error count into `telemetry_events` every few seconds, until shutdown.
pub async fn flush_errors(pool: PgPool, shutdown: CancellationToken) {
    loop {
        let stop = tokio::select! {
            _ = tokio::time::sleep(FLUSH_ERRORS) => false,
            _ = shutdown.cancelled() => true,
        };
        let count = ERRORS.swap(0, Ordering::Relaxed);
        if count > 0 {
            let value = i64::try_from(count).unwrap_or(i64::MAX);
            if let Err(error) = workers::telemetry::record(&pool, "log.errors", value).await {
                // Counted again next time; said at warn so this does not count itself.
                ERRORS.fetch_add(count, Ordering::Relaxed);
                tracing::warn!(%error, "error count not recorded");
            }
        }
        if stop {
            return;
        }
    }
}
