//! Logs to the console (stderr) and to daily files `LOG_DIR/main/YYYY-MM-DD.log`, as text or
//! JSON lines. The level comes from `RUST_LOG` when set, else `LOG_LEVEL`.

use anyhow::Context;
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
        .with(console.with_filter(filter()))
        .with(file.with_filter(filter()))
        .try_init()
        .context("a log subscriber was already installed")?;
    Ok(guard)
}
