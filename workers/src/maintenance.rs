//! `maintenance.sweep`: the periodic safety net. For now it prunes what the queue no longer
//! needs; later features add their own checks here (overdue invoices, stock integrity).

use std::time::Duration;

use jobs::catalogue::MaintenanceSweep;
use sqlx::PgPool;

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

pub fn register(registry: &mut Registry, retention: Retention) {
    registry.register(move |_: MaintenanceSweep, ctx: JobContext| sweep(ctx, retention));
}

async fn sweep(ctx: JobContext, retention: Retention) -> Result<(), JobError> {
    let pruned = prune_jobs(&ctx.pool, retention).await?;
    if pruned > 0 {
        tracing::info!(pruned, "finished jobs past retention deleted");
    }
    Ok(())
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
        "DELETE FROM job_effects WHERE applied_at < now() - make_interval(secs => $1)",
        retention
            .failed
            .as_secs_f64()
            .max(retention.done.as_secs_f64()),
    )
    .execute(pool)
    .await?;
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
