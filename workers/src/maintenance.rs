//! `maintenance.sweep`: the periodic safety net. It prunes what the queue and the Telegram
//! tables no longer need, and gives overdue unpaid orders and top-ups their close jobs (see
//! [`crate::payments::sweep`]), and raises the owners' alerts ([`crate::owner_alerts`]).

use std::time::Duration;

use jobs::catalogue::MaintenanceSweep;
use sqlx::PgPool;

use crate::owner_alerts::AlertSettings;
use crate::{JobContext, JobError, Registry};

/// How long finished jobs are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub done: Duration,
    /// Failed jobs stay visible (for retry or discard) this long.
    pub failed: Duration,
}

/// Rows deleted per statement, so a large backlog never holds locks for long.
const BATCH: i64 = 5_000;

pub fn register(registry: &mut Registry, retention: Retention, alerts: AlertSettings) {
    registry.register(move |_: MaintenanceSweep, ctx: JobContext| {
        let alerts = alerts.clone();
        async move { sweep(ctx, retention, &alerts).await }
    });
}

async fn sweep(
    ctx: JobContext,
    retention: Retention,
    alerts: &AlertSettings,
) -> Result<(), JobError> {
    let pruned = prune_jobs(&ctx.pool, retention).await?;
    if pruned > 0 {
        tracing::info!(pruned, "finished jobs past retention deleted");
    }
    let enqueued = crate::payments::sweep(&ctx.pool).await?;
    if enqueued > 0 {
        tracing::warn!(
            enqueued,
            "overdue orders or deposits had no close job; enqueued"
        );
    }
    let pruned = prune_telegram(&ctx.pool, retention).await?;
    if pruned > 0 {
        tracing::info!(
            pruned,
            "handled Telegram updates and sent batches past retention deleted"
        );
    }
    let mut tx = ctx.pool.begin().await?;
    crate::owner_alerts::check(&mut tx, alerts).await?;
    ctx.commit(tx).await?;
    Ok(())
}

/// Delete handled updates and finished outbox batches older than `retention.done` (an
/// update repeated after that long would be handled again; Telegram does not repeat so late),
/// and the pacing, face and folded-notice rows that are no longer needed.
pub async fn prune_telegram(pool: &PgPool, retention: Retention) -> Result<u64, sqlx::Error> {
    let age = retention.done.as_secs_f64();
    let updates = sqlx::query!(
        "DELETE FROM telegram_updates WHERE handled_at < now() - make_interval(secs => $1)",
        age
    )
    .execute(pool)
    .await?
    .rows_affected();
    let batches = sqlx::query!(
        r#"DELETE FROM telegram_outbox
           WHERE status <> 'pending' AND finished_at < now() - make_interval(secs => $1)"#,
        age
    )
    .execute(pool)
    .await?
    .rows_affected();
    // What messages showed and how chats were paced matter for days, not forever: an edit of
    // a message whose face is gone is sent (at worst Telegram says "not modified", taken as
    // done); a chat without a row starts with a full burst. Folded staff notices go after a week.
    let kept = sqlx::query!(
        r#"
        WITH faces AS (
            DELETE FROM telegram_faces WHERE updated_at < now() - interval '7 days' RETURNING 1
        ), paces AS (
            DELETE FROM telegram_pace
            WHERE chat_id <> 0 AND tat < now() - interval '1 day'
              AND (blocked_until IS NULL OR blocked_until < now())
            RETURNING 1
        ), old_digests AS (
            SELECT id FROM notice_digests WHERE window_start < now() - interval '7 days'
        ), untracked AS (
            DELETE FROM tracked_messages WHERE digest_id IN (SELECT id FROM old_digests) RETURNING 1
        )
        SELECT (SELECT count(*) FROM faces) + (SELECT count(*) FROM paces)
               + (SELECT count(*) FROM untracked) AS "n!"
        "#
    )
    .fetch_one(pool)
    .await?;
    let digests = sqlx::query!(
        r#"DELETE FROM notice_digests d WHERE window_start < now() - interval '7 days'
           AND NOT EXISTS (SELECT 1 FROM tracked_messages t WHERE t.digest_id = d.id)"#
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(updates + batches + u64::try_from(kept.n).unwrap_or(0) + digests)
}

/// Delete done jobs older than `retention.done` and failed ones older than `retention.failed`,
/// with their effect claims, and worker registrations nothing refers to any more.
pub async fn prune_jobs(pool: &PgPool, retention: Retention) -> Result<u64, sqlx::Error> {
    let mut pruned = 0;
    loop {
        let deleted = sqlx::query!(
            r#"
            DELETE FROM apalis.jobs
            WHERE id IN (
                SELECT id FROM apalis.jobs
                WHERE (status = 'Done' AND done_at < now() - make_interval(secs => $1))
                   OR (job_state(status, run_at, attempts, max_attempts) = 'failed'
                       AND done_at < now() - make_interval(secs => $2))
                LIMIT $3
            )
            "#,
            retention.done.as_secs_f64(),
            retention.failed.as_secs_f64(),
            BATCH,
        )
        .execute(pool)
        .await?
        .rows_affected();
        pruned += deleted;
        if deleted < BATCH as u64 {
            break;
        }
    }
    sqlx::query!(
        r#"
        DELETE FROM apalis.workers w
        WHERE last_seen < now() - interval '1 day'
          AND NOT EXISTS (SELECT 1 FROM apalis.jobs j WHERE j.lock_by = w.id)
        "#
    )
    .execute(pool)
    .await?;
    Ok(pruned)
}
