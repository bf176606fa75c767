//! Process wiring for `run`, `ingress` and `worker`: connect, migrate, start, stop cleanly on
//! SIGTERM/SIGINT.

use std::time::Duration;

use anyhow::Context;
use jobs::Queue;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use workers::{QueueConfig, RuntimeConfig};

use secrecy::{ExposeSecret, SecretString};

use crate::config::{Settings, TelegramMode};
use crate::{db, ingress, sandbox, telegram};

/// How long a starting process waits for PostgreSQL.
const DATABASE_WAIT: Duration = Duration::from_secs(30);

/// What this process runs.
#[derive(Debug, Clone)]
pub enum Role {
    All,
    Ingress,
    Worker {
        queues: Vec<Queue>,
        concurrency: Option<usize>,
    },
}

pub async fn start(settings: Settings, role: Role) -> anyhow::Result<()> {
    // `run` without a token is the sandbox: stand-ins in the process, a database of its own.
    let (settings, sandbox) = if matches!(role, Role::All) && settings.telegram_bot_token.is_none()
    {
        let (settings, sandbox) = sandbox::start(settings).await?;
        (settings, Some(sandbox))
    } else {
        (settings, None)
    };
    let pool = db::connect(&settings, DATABASE_WAIT).await?;
    db::migrate(&pool).await?;
    sandbox::check_database(&pool, sandbox.as_ref()).await?;
    let shutdown = shutdown_on_signal();
    let errors = tokio::spawn(crate::logging::flush_errors(pool.clone(), shutdown.clone()));
    let ingress = match role {
        Role::All | Role::Ingress => {
            let acceptor = ingress::bind(settings.http_bind).await?;
            if let (Some(sandbox), Ok(addr)) = (&sandbox, acceptor.local_addr()) {
                sandbox.bound(addr);
            }
            let hooks = ingress::Hooks {
                telegram: telegram_ingress(&settings, &pool, &shutdown).await,
                pakasir: settings.pakasir_webhook_secret.clone(),
                metrics: settings.metrics_token.clone(),
                probes_only: false,
                dashboard: settings.dashboard_token.clone(),
                sandbox: sandbox.clone(),
                timezone: settings.timezone,
            };
            Some(ingress::serve(
                acceptor,
                pool.clone(),
                hooks,
                shutdown.clone(),
            ))
        }
        Role::Worker { .. } => {
            // Workers answer probes and scrapes too (their job counters live here).
            let acceptor = worker_bind(settings.http_bind).await?;
            let hooks = ingress::Hooks {
                metrics: settings.metrics_token.clone(),
                probes_only: true,
                ..ingress::Hooks::default()
            };
            Some(ingress::serve(
                acceptor,
                pool.clone(),
                hooks,
                shutdown.clone(),
            ))
        }
    };
    let workers = match &role {
        Role::All => Some(worker_runtime(&settings, &settings.queues, None)),
        Role::Worker {
            queues,
            concurrency,
        } => Some(worker_runtime(&settings, queues, *concurrency)),
        Role::Ingress => None,
    }
    .map(|config| run_workers(pool.clone(), &settings, config, shutdown.clone()));
    tracing::info!(?role, "started");
    match (ingress, workers) {
        (Some(ingress), Some(workers)) => {
            tokio::join!(ingress, workers);
        }
        (Some(ingress), None) => ingress.await,
        (None, Some(workers)) => workers.await,
        (None, None) => {}
    }
    shutdown.cancel();
    if let Err(error) = errors.await {
        tracing::warn!(%error, "the error counter stopped abnormally");
    }
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// A worker's probe and metrics address: `HTTP_BIND`, or, when another process on this host
/// holds that port (several workers on one machine), a free port on the same address, named
/// in the log — a second worker needs no setting of its own.
async fn worker_bind(addr: std::net::SocketAddr) -> anyhow::Result<salvo::conn::tcp::TcpAcceptor> {
    match ingress::bind(addr).await {
        Ok(acceptor) => Ok(acceptor),
        Err(error) if addr.port() != 0 => {
            let free = std::net::SocketAddr::new(addr.ip(), 0);
            let acceptor = ingress::bind(free).await?;
            let chosen = acceptor
                .local_addr()
                .map(|a| a.to_string())
                .unwrap_or_default();
            tracing::warn!(
                %error,
                %chosen,
                "HTTP_BIND is taken by another process on this host; this worker serves health and metrics on a free port"
            );
            Ok(acceptor)
        }
        Err(error) => Err(error),
    }
}

/// Start receiving Telegram updates: spawn the poller (polling mode) or register the webhook
/// (webhook mode, returning the secret the webhook route checks).
async fn telegram_ingress(
    settings: &Settings,
    pool: &PgPool,
    shutdown: &CancellationToken,
) -> Option<SecretString> {
    let bot = settings.bot()?;
    match &settings.telegram_mode {
        TelegramMode::Polling => {
            tokio::spawn(telegram::poller::run(pool.clone(), bot, shutdown.clone()));
            None
        }
        TelegramMode::Webhook { url, secret } => {
            let params = serde_json::json!({
                "url": url.as_str(),
                "secret_token": secret.expose_secret(),
            });
            match bot.call("setWebhook", &params).await {
                Ok(_) => tracing::info!(%url, "Telegram webhook registered"),
                Err(error) => tracing::error!(
                    %url, %error,
                    "could not register the Telegram webhook; check TELEGRAM_WEBHOOK_URL and the token"
                ),
            }
            Some(secret.clone())
        }
    }
}

fn worker_runtime(
    settings: &Settings,
    queues: &[Queue],
    concurrency: Option<usize>,
) -> RuntimeConfig {
    let telegram = [Queue::Updates, Queue::Telegram];
    if settings.telegram_bot_token.is_none() && queues.iter().any(|q| telegram.contains(q)) {
        tracing::warn!(
            "TELEGRAM_BOT_TOKEN is not set: the updates and telegram queues are not served by this process"
        );
    }
    RuntimeConfig {
        queues: queues
            .iter()
            .filter(|q| settings.telegram_bot_token.is_some() || !telegram.contains(q))
            .map(|&queue| QueueConfig {
                queue,
                concurrency: concurrency.unwrap_or_else(|| settings.concurrency_of(queue)),
            })
            .collect(),
        batch_size: settings.batch_size,
        poll_interval: settings.poll_interval,
        heartbeat: settings.heartbeat,
        rescue_after: settings.rescue_after,
        shutdown_grace: settings.shutdown_grace,
        backoff: settings.backoff,
        schedule: settings.schedule,
    }
}

async fn run_workers(
    pool: PgPool,
    settings: &Settings,
    config: RuntimeConfig,
    shutdown: CancellationToken,
) {
    let registry = workers::standard_registry(&settings.handler_settings());
    workers::runtime::run(pool, registry, config, shutdown).await;
}

/// Cancelled on the first SIGTERM or SIGINT.
fn shutdown_on_signal() -> CancellationToken {
    let token = CancellationToken::new();
    let trigger = token.clone();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutdown requested: no new work is claimed, in-flight work may finish");
        trigger.cancel();
    });
    token
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops this process");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// Used by `migrate`.
pub async fn migrate_only(settings: &Settings) -> anyhow::Result<()> {
    let pool = db::connect(settings, DATABASE_WAIT).await?;
    db::migrate(&pool).await.context("migration failed")?;
    pool.close().await;
    Ok(())
}

/// The poller's Bot API calls go through the workers' client.
impl telegram::poller::BotCalls for workers::telegram::BotApi {
    async fn call(
        &self,
        method: &str,
        params: &serde_json::Value,
        wait: Duration,
    ) -> Result<serde_json::Value, String> {
        self.call_waiting(method, params, wait)
            .await
            .map_err(|error| error.to_string())
    }
}
