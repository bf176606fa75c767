//! The one settings struct, read from the environment (and an optional `.env` file, which
//! never overrides variables already set).
//!
//! Every variable, its default and its meaning is listed in [`VARIABLES`]; the README's
//! configuration table is the same list. Reading collects every problem before failing, so
//! one start-up names all the variables to fix. Secrets are [`SecretString`]s: `Debug` and
//! logs show `[REDACTED]`.

mod reader;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono_tz::Tz;
use jobs::Queue;
use reader::{Reader, positive};
use secrecy::SecretString;
use workers::bot::spam::SpamLimits;
use workers::maintenance::Retention;
use workers::payments::pakasir::{Pakasir, PakasirConfig};
use workers::payments::{LatePayment, PaymentSettings};
use workers::periodic::Schedule;
use workers::shop::staff::Staff;
use workers::telegram::BotApi;
use workers::{Backoff, HandlerSettings};

/// Name, default (`None` = required or unset) and meaning of every variable.
#[rustfmt::skip]
pub const VARIABLES: &[(&str, Option<&str>, &str)] = &[
    ("DATABASE_URL", None, "PostgreSQL connection URL (required; secret)"),
    ("DATABASE_MAX_CONNECTIONS", Some("60"), "connections in this process's pool; the workers need one per job running at once plus one per queue and two (start-up warns when it is short)"),
    ("HTTP_BIND", Some("0.0.0.0:8080"), "HTTP address: the ingress serves health, readiness, metrics and webhooks there; a worker serves health, readiness and metrics"),
    ("TELEGRAM_BOT_TOKEN", None, "bot token from @BotFather (secret); without it `run` is the sandbox (stand-ins in the process, its own database, web chat at /sandbox)"),
    ("TELEGRAM_API_URL", Some("https://api.telegram.org"), "Bot API base URL (a self-hosted Bot API server, or a stand-in)"),
    ("TELEGRAM_MODE", Some("polling"), "`polling` (one poller across all replicas) or `webhook`"),
    ("TELEGRAM_WEBHOOK_URL", None, "public HTTPS URL of POST /telegram/webhook; required in webhook mode"),
    ("TELEGRAM_WEBHOOK_SECRET", None, "secret Telegram sends with every webhook call (secret); required in webhook mode"),
    ("TELEGRAM_OWNER_IDS", None, "comma list of owners' Telegram ids"),
    ("TELEGRAM_ADMIN_IDS", None, "comma list of admins' Telegram ids (more can be added in the bot)"),
    ("STORE_NAME", Some("Bot Auto Order"), "the shop's name in messages"),
    ("PAKASIR_PROJECT", None, "Pakasir project slug; with PAKASIR_API_KEY it turns QRIS payments on"),
    ("PAKASIR_API_KEY", None, "Pakasir API key (secret)"),
    ("PAKASIR_API_URL", Some("https://app.pakasir.com"), "Pakasir API base URL (a stand-in in tests)"),
    ("PAKASIR_PAY_URL", Some("https://app.pakasir.com/pay"), "base of the hosted payment page behind the \"pay in browser\" button (a custom domain fronting it works)"),
    ("PAKASIR_TIMEOUT", Some("15s"), "longest wait for one Pakasir request"),
    ("DASHBOARD_TOKEN", None, "optional: sign in to /dashboard by typing it (admins can always ask the bot for a one-time link) (secret)"),
    ("PUBLIC_URL", None, "the shop's public base URL (e.g. https://shop.example.com): the bot's dashboard links point there"),
    ("METRICS_TOKEN", None, "optional: `/metrics` then requires `Authorization: Bearer <token>` (secret)"),
    ("PAKASIR_WEBHOOK_SECRET", None, "optional: require an X-Pakasir-Signature header, hex HMAC-SHA256 of the body with this secret (secret)"),
    ("OPEN_ORDERS_PER_CUSTOMER", Some("1"), "unpaid QRIS orders a customer may have at once"),
    ("DEPOSIT_MIN", Some("10000"), "smallest balance top-up by QRIS, in rupiah"),
    ("DEPOSIT_MAX", Some("5000000"), "largest balance top-up by QRIS, in rupiah"),
    ("LATE_PAYMENT", Some("resell"), "a payment for an expired or cancelled order: `resell` (if still in stock, else credit) or `credit` (always to the balance)"),
    ("CATALOG_PAGE_SIZE", Some("5"), "products per catalog page"),
    ("SHOP_TIMEZONE", Some("Asia/Jakarta"), "IANA time zone for the shop's days and times"),
    ("CONVERSATION_TTL", Some("10m"), "how long the bot waits for a typed answer (voucher code, name) before forgetting the question"),
    ("SPAM_MAX_ACTIONS", Some("20"), "messages and button presses a customer may send per SPAM_WINDOW; more gets one warning, then silence"),
    ("SPAM_WINDOW", Some("10s"), "the anti-spam counting window"),
    ("BROADCAST_RATE", Some("25"), "broadcast messages per second across all replicas together (Telegram allows about 30)"),
    ("TELEGRAM_PRIVATE_PER_SECOND", Some("1"), "calls per second to one private chat, across all replicas (Telegram: about 1)"),
    ("TELEGRAM_PRIVATE_BURST", Some("3"), "calls to one private chat that may go at once before the per-chat pace applies"),
    ("TELEGRAM_GROUP_PER_MINUTE", Some("20"), "calls per minute to one group or channel (Telegram: 20)"),
    ("TELEGRAM_BOT_PER_SECOND", Some("30"), "calls per second for the whole bot, across all replicas (Telegram: about 30); replies to people go first, staff alerts next, broadcasts last"),
    ("BACKUP_DIR", Some("backups"), "where `backup create` and the daily `backup.run` job write encrypted dumps"),
    ("BACKUP_PASSWORD", None, "passphrase the backups are encrypted with (age, scrypt); without it there are no backups (secret; keep a copy off the server)"),
    ("BACKUP_EVERY", Some("24h"), "period of the `backup.run` job"),
    ("BACKUP_KEEP", Some("14"), "backups kept; older ones are pruned after each backup"),
    ("LOG_DIR", Some("logs"), "daily log files go to LOG_DIR/main, audit files to LOG_DIR/audit"),
    ("LOG_LEVEL", Some("info"), "log level or filter (RUST_LOG wins when set)"),
    ("LOG_FORMAT", Some("text"), "`text` or `json`, for the console and the files"),
    ("WORKER_QUEUES", Some("all"), "queues a worker serves: `all` or a comma list (updates, telegram, payments, system, diagnostic)"),
    ("WORKER_CONCURRENCY", Some("updates=8,telegram=8,payments=8,system=4,diagnostic=16"), "jobs run at once per queue: one number for all, or queue=N pairs"),
    ("JOB_BATCH_SIZE", Some("500"), "jobs claimed per statement at most: each queue of a process claims again, while its jobs keep running, once no more than its concurrency and half a batch are left in hand"),
    ("JOB_POLL_INTERVAL", Some("200ms"), "poll for due jobs this often besides LISTEN/NOTIFY wake-ups (bounds the wait when apalis drops a wake-up that came during a fetch)"),
    ("JOB_HEARTBEAT", Some("5s"), "how often a worker reports that it is alive"),
    ("JOB_RESCUE_AFTER", Some("30s"), "a worker silent this long is dead: its jobs run elsewhere"),
    ("JOB_BACKOFF_BASE", Some("2s"), "first retry delay; doubles per attempt, with jitter"),
    ("JOB_BACKOFF_MAX", Some("1h"), "longest retry delay"),
    ("JOB_RETENTION_DONE", Some("24h"), "done jobs are deleted after this"),
    ("JOB_RETENTION_FAILED", Some("14d"), "failed jobs are deleted after this"),
    ("MAINTENANCE_EVERY", Some("1m"), "period of the maintenance sweep"),
    ("OWNER_ALERT_FAILED_JOBS", Some("1"), "owners are alerted when this many jobs have failed for good (0: never)"),
    ("OWNER_ALERT_BACKLOG", Some("5m"), "owners are alerted when a queue's oldest pending job waits this long"),
    ("OWNER_ALERT_ERRORS", Some("1"), "owners are alerted when this many errors were logged today, again at 10×, 100×… (0: never)"),
    ("OWNER_ALERT_REPEAT", Some("6h"), "an alert that still holds is sent again after this long (a worse one at once)"),
    ("TELEMETRY_FLUSH_EVERY", Some("1m"), "period of the telemetry flush"),
    ("SHUTDOWN_GRACE", Some("30s"), "on SIGTERM, in-flight jobs get this long to finish"),
];

/// How updates arrive from Telegram.
#[derive(Debug, Clone, Default)]
pub enum TelegramMode {
    /// `getUpdates` long polling by one ingress at a time.
    #[default]
    Polling,
    /// Telegram POSTs to `url`, with `secret` in a header.
    Webhook { url: url::Url, secret: SecretString },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err("expected `text` or `json`".to_owned()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: SecretString,
    pub database_max_connections: u32,
    pub http_bind: SocketAddr,
    pub telegram_bot_token: Option<SecretString>,
    pub telegram_api_url: url::Url,
    pub telegram_mode: TelegramMode,
    /// TELEGRAM_OWNER_IDS and TELEGRAM_ADMIN_IDS.
    pub staff: Staff,
    pub store_name: String,
    pub pakasir: Option<PakasirConfig>,
    pub pakasir_webhook_secret: Option<SecretString>,
    pub metrics_token: Option<SecretString>,
    pub dashboard_token: Option<SecretString>,
    pub public_url: Option<String>,
    pub open_orders: u32,
    pub deposit_min: i64,
    pub deposit_max: i64,
    pub late_payment: LatePayment,
    pub page_size: u32,
    pub conversation_ttl: Duration,
    pub spam: SpamLimits,
    pub broadcast_rate: u32,
    pub pacing: workers::telegram::pace::Limits,
    pub alerts: workers::owner_alerts::AlertSettings,
    pub timezone: Tz,
    pub log_dir: PathBuf,
    pub backup_dir: PathBuf,
    pub backup_password: Option<SecretString>,
    pub backup_keep: usize,
    pub log_level: String,
    pub log_format: LogFormat,
    pub queues: Vec<Queue>,
    pub concurrency: HashMap<Queue, usize>,
    pub batch_size: usize,
    pub poll_interval: Duration,
    pub heartbeat: Duration,
    pub rescue_after: Duration,
    pub backoff: Backoff,
    pub retention: Retention,
    pub schedule: Schedule,
    pub shutdown_grace: Duration,
}

/// Everything wrong with the environment, one line per variable.
#[derive(Debug, thiserror::Error)]
pub struct ConfigError(pub Vec<String>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the configuration is not usable:")?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        write!(
            f,
            "set these in the environment or in .env (see README, Configuration), then start again"
        )
    }
}

impl Settings {
    /// Load `.env` if present, then read the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        if let Err(error) = dotenvy::dotenv()
            && !error.not_found()
        {
            return Err(ConfigError(vec![format!(
                ".env could not be read: {error}"
            )]));
        }
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Read settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut env = Reader {
            lookup: &lookup,
            problems: Vec::new(),
        };
        let queues = env.parse("WORKER_QUEUES", parse_queues);
        let timezone = env.parse("SHOP_TIMEZONE", |s| {
            s.parse::<Tz>().map_err(|e| format!("{e}"))
        });
        let settings = Settings {
            database_url: env.required_secret("DATABASE_URL"),
            database_max_connections: env.parse("DATABASE_MAX_CONNECTIONS", positive),
            http_bind: env.socket_addr("HTTP_BIND"),
            telegram_bot_token: env.optional_secret("TELEGRAM_BOT_TOKEN"),
            telegram_api_url: env.url("TELEGRAM_API_URL"),
            telegram_mode: env.telegram_mode(),
            staff: Staff::new(env.ids("TELEGRAM_OWNER_IDS"), env.ids("TELEGRAM_ADMIN_IDS")),
            store_name: env.parse("STORE_NAME", |s| Ok(s.to_owned())),
            pakasir: env.pakasir(),
            pakasir_webhook_secret: env.optional_secret("PAKASIR_WEBHOOK_SECRET"),
            metrics_token: env.optional_secret("METRICS_TOKEN"),
            dashboard_token: env.optional_secret("DASHBOARD_TOKEN"),
            public_url: env
                .raw("PUBLIC_URL")
                .map(|url| url.trim_end_matches('/').to_owned()),
            open_orders: env.parse("OPEN_ORDERS_PER_CUSTOMER", positive),
            deposit_min: env.parse("DEPOSIT_MIN", positive),
            deposit_max: env.parse("DEPOSIT_MAX", positive),
            late_payment: env.parse("LATE_PAYMENT", |s| match s {
                "resell" => Ok(LatePayment::Resell),
                "credit" => Ok(LatePayment::Credit),
                _ => Err("expected `resell` or `credit`".to_owned()),
            }),
            page_size: env.parse("CATALOG_PAGE_SIZE", positive),
            conversation_ttl: env.duration("CONVERSATION_TTL"),
            spam: SpamLimits {
                max_actions: env.parse("SPAM_MAX_ACTIONS", positive),
                window: env.duration("SPAM_WINDOW"),
            },
            broadcast_rate: env.parse("BROADCAST_RATE", positive),
            pacing: workers::telegram::pace::Limits {
                private_per_second: env.parse("TELEGRAM_PRIVATE_PER_SECOND", positive),
                private_burst: env.parse("TELEGRAM_PRIVATE_BURST", positive),
                group_per_minute: env.parse("TELEGRAM_GROUP_PER_MINUTE", positive),
                bot_per_second: env.parse("TELEGRAM_BOT_PER_SECOND", positive),
            },
            alerts: workers::owner_alerts::AlertSettings {
                owners: env.ids("TELEGRAM_OWNER_IDS"),
                failed_jobs: env.parse("OWNER_ALERT_FAILED_JOBS", |s| {
                    s.parse::<i64>()
                        .ok()
                        .filter(|n| *n >= 0)
                        .ok_or_else(|| "expected a whole number, 0 or more".to_owned())
                }),
                backlog: env.duration("OWNER_ALERT_BACKLOG"),
                repeat: env.duration("OWNER_ALERT_REPEAT"),
                errors: env.parse("OWNER_ALERT_ERRORS", |s| {
                    s.parse::<i64>()
                        .ok()
                        .filter(|n| *n >= 0)
                        .ok_or_else(|| "expected a whole number, 0 or more".to_owned())
                }),
                timezone,
            },
            timezone,
            log_dir: env.parse("LOG_DIR", |s| Ok(PathBuf::from(s))),
            backup_dir: env.parse("BACKUP_DIR", |s| Ok(PathBuf::from(s))),
            backup_password: env.optional_secret("BACKUP_PASSWORD"),
            backup_keep: env.parse("BACKUP_KEEP", positive),
            log_level: env.parse("LOG_LEVEL", |s| Ok(s.to_owned())),
            log_format: env.parse("LOG_FORMAT", LogFormat::from_str),
            queues,
            concurrency: env.parse("WORKER_CONCURRENCY", parse_concurrency),
            batch_size: env.parse("JOB_BATCH_SIZE", positive),
            poll_interval: env.duration("JOB_POLL_INTERVAL"),
            heartbeat: env.duration("JOB_HEARTBEAT"),
            rescue_after: env.duration("JOB_RESCUE_AFTER"),
            backoff: Backoff {
                base: env.duration("JOB_BACKOFF_BASE"),
                max: env.duration("JOB_BACKOFF_MAX"),
            },
            retention: Retention {
                done: env.duration("JOB_RETENTION_DONE"),
                failed: env.duration("JOB_RETENTION_FAILED"),
            },
            schedule: Schedule {
                sweep_every: env.duration("MAINTENANCE_EVERY"),
                telemetry_every: env.duration("TELEMETRY_FLUSH_EVERY"),
                backup_every: env
                    .raw("BACKUP_PASSWORD")
                    .map(|_| env.duration("BACKUP_EVERY")),
            },
            shutdown_grace: env.duration("SHUTDOWN_GRACE"),
        };
        if settings.rescue_after < settings.heartbeat * 2 {
            env.problems.push(format!(
                "JOB_RESCUE_AFTER ({:?}) must be at least twice JOB_HEARTBEAT ({:?}), or live workers would be taken for dead",
                settings.rescue_after, settings.heartbeat
            ));
        }
        if settings.deposit_min > settings.deposit_max {
            env.problems.push(format!(
                "DEPOSIT_MIN ({}) is above DEPOSIT_MAX ({}): no top-up could be made",
                settings.deposit_min, settings.deposit_max
            ));
        }
        if env.problems.is_empty() {
            Ok(settings)
        } else {
            Err(ConfigError(env.problems))
        }
    }

    pub fn concurrency_of(&self, queue: Queue) -> usize {
        self.concurrency
            .get(&queue)
            .copied()
            .unwrap_or_else(|| queue.default_concurrency())
    }

    /// What backups need, when BACKUP_PASSWORD is set.
    pub fn backup(&self) -> Option<workers::backup::BackupSettings> {
        Some(workers::backup::BackupSettings {
            dir: self.backup_dir.clone(),
            password: self.backup_password.clone()?,
            keep: self.backup_keep,
            database_url: self.database_url.clone(),
        })
    }

    /// The Bot API client, when a token is configured.
    pub fn bot(&self) -> Option<BotApi> {
        let token = self.telegram_bot_token.clone()?;
        BotApi::new(self.telegram_api_url.as_str(), token)
            .map_err(|e| tracing::error!(error = %e, "cannot build an HTTP client for Telegram"))
            .ok()
    }

    pub fn handler_settings(&self) -> HandlerSettings {
        HandlerSettings {
            audit_dir: self.log_dir.join("audit"),
            timezone: self.timezone,
            retention: self.retention,
            alerts: self.alerts.clone(),
            backup: self.backup(),
            bot: self.bot(),
            pacing: self.pacing,
            shop: workers::bot::BotSettings {
                store_name: self.store_name.clone(),
                page_size: self.page_size,
                state_ttl: self.conversation_ttl,
                spam: self.spam,
                broadcast_rate: self.broadcast_rate,
                public_url: self.public_url.clone(),
                defaults: workers::settings::Defaults {
                    store_name: self.store_name.clone(),
                    timezone: self.timezone,
                    page_size: self.page_size,
                    deposit_min: self.deposit_min,
                    deposit_max: self.deposit_max,
                },
                payments: PaymentSettings {
                    pakasir: self.pakasir.clone().and_then(|config| {
                        Pakasir::new(config)
                            .map_err(|e| tracing::error!(error = %e, "QRIS payments are off"))
                            .ok()
                    }),
                    open_orders: self.open_orders,
                    late: self.late_payment,
                    timezone: self.timezone,
                    staff: self.staff.clone(),
                    deposit_min: self.deposit_min,
                    deposit_max: self.deposit_max,
                    public_url: self.public_url.clone(),
                },
                timezone: self.timezone,
            },
        }
    }
}

/// `all` or a comma-separated list of queue names.
pub fn parse_queues(s: &str) -> Result<Vec<Queue>, String> {
    if s == "all" {
        return Ok(Queue::ALL.to_vec());
    }
    let mut queues = Vec::new();
    for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let queue = name.parse::<Queue>().map_err(|e| e.to_string())?;
        if !queues.contains(&queue) {
            queues.push(queue);
        }
    }
    if queues.is_empty() {
        return Err("name at least one queue, or `all`".to_owned());
    }
    Ok(queues)
}

/// One number for every queue, or `queue=N` pairs (queues not named keep their default).
pub fn parse_concurrency(s: &str) -> Result<HashMap<Queue, usize>, String> {
    if let Ok(n) = positive::<usize>(s) {
        return Ok(Queue::ALL.into_iter().map(|q| (q, n)).collect());
    }
    let mut map = HashMap::new();
    for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (queue, n) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}` is not `queue=N`"))?;
        let queue = queue.parse::<Queue>().map_err(|e| e.to_string())?;
        map.insert(queue, positive::<usize>(n.trim())?);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_fill_everything_but_the_database() {
        let s = settings(&[("DATABASE_URL", "postgres://u:hunter2@db/shop")]).expect("valid");
        assert_eq!(s.http_bind.port(), 8080);
        assert_eq!(s.retention.done, Duration::from_secs(24 * 3600));
        assert_eq!(s.retention.failed, Duration::from_secs(14 * 86400));
        assert_eq!(s.queues, Queue::ALL.to_vec());
        assert_eq!(s.concurrency_of(Queue::System), 4);
        assert_eq!(s.timezone, chrono_tz::Asia::Jakarta);
        assert_eq!(
            s.database_url.expose_secret(),
            "postgres://u:hunter2@db/shop"
        );
    }

    #[test]
    fn secrets_never_print() {
        let s = settings(&[
            ("DATABASE_URL", "postgres://u:hunter2@db/shop"),
            ("TELEGRAM_BOT_TOKEN", "123:ABCsecret"),
        ])
        .expect("valid");
        let printed = format!("{s:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("ABCsecret"), "{printed}");
    }

    #[test]
    fn every_problem_is_named() {
        let error = settings(&[
            ("DATABASE_MAX_CONNECTIONS", "many"),
            ("JOB_HEARTBEAT", "soon"),
            ("WORKER_QUEUES", "system,payments-typo"),
            ("SHOP_TIMEZONE", "Mars/Olympus"),
        ])
        .expect_err("invalid");
        let text = error.to_string();
        for name in [
            "DATABASE_URL",
            "DATABASE_MAX_CONNECTIONS",
            "JOB_HEARTBEAT",
            "WORKER_QUEUES",
            "SHOP_TIMEZONE",
        ] {
            assert!(text.contains(name), "{name} missing from: {text}");
        }
    }

    #[test]
    fn the_readme_documents_every_variable_with_its_default() {
        let readme = include_str!("../../README.md");
        for (name, default, _) in VARIABLES {
            let row = match default {
                Some(default) => format!("| `{name}` | `{default}` |"),
                None => format!("| `{name}` | ("),
            };
            assert!(readme.contains(&row), "README has no row `{row}`");
        }
    }

    #[test]
    fn concurrency_accepts_a_number_or_pairs() {
        let all = parse_concurrency("7").expect("number");
        assert_eq!(all.get(&Queue::Diagnostic), Some(&7));
        let pairs = parse_concurrency("system=2, diagnostic=9").expect("pairs");
        assert_eq!(pairs.get(&Queue::System), Some(&2));
        assert!(parse_concurrency("system=0").is_err());
        assert!(parse_concurrency("nope=3").is_err());
    }
}
