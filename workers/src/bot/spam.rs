//! Anti-spam: at most `max_actions` updates per customer in a fixed window, counted in
//! Postgres (so every replica sees the same count and a restart forgets nothing). The first
//! update over the limit gets one warning; the rest of the window is ignored.

use std::time::Duration;

use sqlx::PgConnection;

use crate::JobError;
use crate::shop::ids::TelegramUserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpamLimits {
    pub max_actions: u32,
    pub window: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// The first update over the limit: tell the customer to wait this many seconds.
    Warn {
        wait_secs: u64,
        hits: i32,
    },
    /// Over the limit and already warned: handle nothing.
    Drop,
}

pub async fn check(
    tx: &mut PgConnection,
    telegram_id: TelegramUserId,
    limits: SpamLimits,
) -> Result<Verdict, JobError> {
    let row = sqlx::query!(
        r#"
        INSERT INTO rate_limits AS r (telegram_id, window_start, hits) VALUES ($1, now(), 1)
        ON CONFLICT (telegram_id) DO UPDATE SET
            hits = CASE WHEN r.window_start + make_interval(secs => $2) <= now() THEN 1 ELSE r.hits + 1 END,
            warned = CASE WHEN r.window_start + make_interval(secs => $2) <= now() THEN FALSE ELSE r.warned END,
            window_start = CASE WHEN r.window_start + make_interval(secs => $2) <= now() THEN now() ELSE r.window_start END
        RETURNING hits, warned,
                  extract(epoch FROM window_start + make_interval(secs => $2) - now())::float8 AS "left!"
        "#,
        telegram_id.get(),
        limits.window.as_secs_f64(),
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.hits <= i32::try_from(limits.max_actions).unwrap_or(i32::MAX) {
        return Ok(Verdict::Allow);
    }
    if row.warned {
        return Ok(Verdict::Drop);
    }
    sqlx::query!(
        "UPDATE rate_limits SET warned = TRUE WHERE telegram_id = $1",
        telegram_id.get()
    )
    .execute(&mut *tx)
    .await?;
    Ok(Verdict::Warn {
        wait_secs: row.left.ceil().max(1.0) as u64,
        hits: row.hits,
    })
}
