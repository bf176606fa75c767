//! Long polling: exactly one poller across all replicas.
//!
//! Every ingress process tries to take a session advisory lock on a connection of its own;
//! the one that holds it polls `getUpdates`, the others retry every few seconds and take over
//! when the poller dies (its connection closes, the lock goes with it). The offset lives in
//! `telegram_state` and moves in the same transaction that stores an update, so a restart
//! neither loses nor repeats one.

use std::future::Future;
use std::time::Duration;

use jobs::ingress::{InboxError, record_update};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use tokio_util::sync::CancellationToken;

/// The Bot API as the poller uses it: one method called with its parameters, waiting up to
/// `wait` for the answer; the result, or why there is none. The process wires in its client.
pub trait BotCalls: Send + Sync {
    fn call(
        &self,
        method: &str,
        params: &Value,
        wait: Duration,
    ) -> impl Future<Output = Result<Value, String>> + Send;
}

/// Advisory lock key of the poller role ("bao-poll").
const POLLER_LOCK: i64 = 0x6261_6f2d_706f_6c6c;
/// Seconds `getUpdates` waits for updates.
const LONG_POLL: u32 = 25;
const STANDBY: Duration = Duration::from_secs(3);

pub async fn run(pool: PgPool, bot: impl BotCalls, shutdown: CancellationToken) {
    while !shutdown.is_cancelled() {
        match become_poller(&pool).await {
            Ok(Some(conn)) => {
                tracing::info!("this process is the Telegram poller");
                if let Err(error) = poll(conn, &bot, &shutdown).await {
                    tracing::warn!(%error, "Telegram poller stopped; trying to take over again");
                }
            }
            Ok(None) => tracing::debug!("another process polls Telegram; standing by"),
            Err(error) => tracing::warn!(%error, "cannot contend for the Telegram poller role"),
        }
        tokio::select! {
            _ = tokio::time::sleep(STANDBY) => {}
            _ = shutdown.cancelled() => {}
        }
    }
}

/// A connection of our own holding the poller lock, or None when another process has it.
async fn become_poller(pool: &PgPool) -> Result<Option<PgConnection>, sqlx::Error> {
    let mut conn = pool.acquire().await?.detach();
    let locked = sqlx::query_scalar!(
        r#"SELECT pg_try_advisory_lock($1) AS "locked!""#,
        POLLER_LOCK
    )
    .fetch_one(&mut conn)
    .await?;
    Ok(locked.then_some(conn))
}

async fn poll(
    mut conn: PgConnection,
    bot: &impl BotCalls,
    shutdown: &CancellationToken,
) -> Result<(), anyhow::Error> {
    let none = serde_json::json!({});
    if let Err(error) = bot
        .call("deleteWebhook", &none, Duration::from_secs(10))
        .await
    {
        tracing::warn!(%error, "could not remove a webhook before polling");
    }
    let mut pause = Duration::from_millis(500);
    while !shutdown.is_cancelled() {
        let offset =
            sqlx::query_scalar!("SELECT value FROM telegram_state WHERE key = 'poll_offset'")
                .fetch_optional(&mut conn)
                .await?
                .unwrap_or(0);
        let request = get_updates(bot, offset);
        let updates = tokio::select! {
            result = request => result,
            _ = shutdown.cancelled() => return Ok(()),
        };
        let updates = match updates {
            Ok(updates) => {
                pause = Duration::from_millis(500);
                updates
            }
            Err(error) => {
                tracing::warn!(%error, ?pause, "getUpdates failed (a 409 means another poller or a webhook uses this token)");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        for payload in updates {
            let Some(next) = payload
                .get("update_id")
                .and_then(Value::as_i64)
                .map(|id| id + 1)
            else {
                tracing::warn!(%payload, "skipping an update without update_id");
                continue;
            };
            let mut tx = sqlx::Connection::begin(&mut conn).await?;
            match record_update(&mut tx, &payload).await {
                Ok(_) => {}
                Err(InboxError::Malformed(reason)) => {
                    tracing::warn!(%reason, "skipping an update that is not one");
                }
                Err(error) => return Err(error.into()),
            }
            sqlx::query!(
                r#"INSERT INTO telegram_state (key, value) VALUES ('poll_offset', $1)
                   ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()"#,
                next
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// One long poll, keeping each update's JSON exactly as Telegram sent it (teloxide's types
/// would drop what they do not model).
async fn get_updates(bot: &impl BotCalls, offset: i64) -> Result<Vec<Value>, String> {
    let params = serde_json::json!({ "offset": offset, "timeout": LONG_POLL });
    let wait = Duration::from_secs(u64::from(LONG_POLL) + 10);
    match bot.call("getUpdates", &params, wait).await? {
        Value::Array(updates) => Ok(updates),
        _ => Err("getUpdates answered without a result list".to_owned()),
    }
}
