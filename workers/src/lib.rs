//! Everything that runs jobs.
//!
//! * [`runtime`]: named queues on apalis's tables, claimed in batches into a local buffer,
//!   per-queue concurrency, outcomes written in batches, LISTEN/NOTIFY wake-ups plus polling,
//!   restart after database outages and graceful shutdown;
//! * [`runtime::execute`]: one job's run — dispatch by kind, panic safety, and what an outcome means
//!   for the row (done in the job's own transaction, backoff, snooze, permanent failure);
//! * [`periodic`]: jobs enqueued once per time slot however many processes run;
//! * one module per job family with its handlers: [`audit`], [`telemetry`], [`maintenance`],
//!   [`diagnostic`].

pub mod audit;
mod backoff;
pub mod backup;
pub mod bot;
pub mod cache;
mod context;
pub mod dashboard_login;
pub mod diagnostic;
#[cfg(test)]
mod layers;
pub mod maintenance;
pub mod metrics;
mod outcome;
pub mod owner_alerts;
pub mod payments;
pub mod periodic;
pub mod reconcile;
mod registry;
pub mod runtime;
pub mod settings;
pub mod shop;
pub mod telegram;
pub mod telemetry;
pub mod ui;
mod wakeups;

pub use backoff::Backoff;
pub use context::JobContext;
pub use outcome::JobError;
pub use registry::Registry;
pub use runtime::{QueueConfig, RuntimeConfig};

/// What the standard handlers need to know about the shop.
#[derive(Debug, Clone)]
pub struct HandlerSettings {
    /// Where `audit.write` appends its daily JSON-lines files.
    pub audit_dir: std::path::PathBuf,
    /// The shop's time zone: telemetry days are its calendar days.
    pub timezone: chrono_tz::Tz,
    pub retention: maintenance::Retention,
    pub alerts: owner_alerts::AlertSettings,
    /// None without BACKUP_PASSWORD: no `backup.run` job kind.
    pub backup: Option<backup::BackupSettings>,
    /// The Bot API client; without it the Telegram job kinds are not registered.
    pub bot: Option<telegram::BotApi>,
    /// Telegram's limits as this shop paces its calls.
    pub pacing: telegram::pace::Limits,
    pub shop: bot::BotSettings,
}

/// A registry with every job kind this build knows.
pub fn standard_registry(settings: &HandlerSettings) -> Registry {
    let mut registry = Registry::default();
    audit::register(&mut registry, settings.audit_dir.clone());
    telemetry::register(&mut registry, settings.timezone);
    maintenance::register(&mut registry, settings.retention, settings.alerts.clone());
    if let Some(backup) = &settings.backup {
        backup::register(&mut registry, backup.clone(), settings.alerts.clone());
    }
    diagnostic::register(&mut registry);
    payments::register(&mut registry, &settings.shop.payments);
    if let Some(bot) = &settings.bot {
        let courier = telegram::Courier::new(bot.clone(), settings.pacing);
        telegram::send::register(&mut registry, courier.clone());
        bot::updates::register(&mut registry, settings.shop.clone());
        bot::admin::import::register(&mut registry, bot.clone(), settings.shop.state_ttl);
        bot::admin::broadcast::register(&mut registry, courier, settings.shop.broadcast_rate);
    }
    registry
}
