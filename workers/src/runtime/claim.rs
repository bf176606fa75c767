//! The statements a queue's worker runs on apalis's tables: heartbeat (the first one
//! registers it; each rescues dead workers' jobs), claim a batch, give back unstarted jobs.

use std::time::Duration;

use sqlx::PgPool;

/// A claimed job, as the executor needs it.
pub struct Claimed {
    pub id: String,
    pub job: Vec<u8>,
    /// 1 on the first run (apalis counts the runs that ended in `attempts`).
    pub attempt: u32,
    pub max_attempts: u32,
}

/// Report this worker alive, putting it in `apalis.workers` on its first beat (jobs it claims
/// point at it), and rescue the jobs of the queue's dead workers. Returns how many jobs went
/// back to pending.
pub async fn heartbeat(
    pool: &PgPool,
    worker: &str,
    queue: &str,
    rescue_after: Duration,
) -> Result<u64, sqlx::Error> {
    sqlx::query!(
        r#"INSERT INTO apalis.workers (id, worker_type, storage_name, layers, last_seen, started_at)
           VALUES ($1, $2, 'bot-auto-order', '', now(), now())
           ON CONFLICT (id) DO UPDATE SET last_seen = now()"#,
        worker,
        queue,
    )
    .execute(pool)
    .await?;
    rescue(pool, queue, rescue_after).await
}

/// Jobs claimed by a worker of `queue` silent for `rescue_after` go back to pending, the
/// attempt they were on counted (apalis's orphan rescue).
async fn rescue(pool: &PgPool, queue: &str, rescue_after: Duration) -> Result<u64, sqlx::Error> {
    let rescued = sqlx::query!(
        r#"
        WITH stale AS (
            SELECT j.id FROM apalis.jobs j
            JOIN apalis.workers w ON j.lock_by = w.id
            WHERE j.status IN ('Queued', 'Running') AND w.worker_type = $1
              AND w.last_seen < now() - make_interval(secs => $2)
            FOR UPDATE OF j SKIP LOCKED
        )
        UPDATE apalis.jobs j
        SET status = 'Pending', done_at = NULL, lock_by = NULL, lock_at = NULL,
            attempts = attempts + 1,
            last_result = '{"Err": "Re-enqueued due to worker heartbeat timeout."}'
        FROM stale WHERE j.id = stale.id
        "#,
        queue,
        rescue_after.as_secs_f64(),
    )
    .execute(pool)
    .await?;
    Ok(rescued.rows_affected())
}

/// Claim up to `count` due jobs of `queue` for `worker`, in one statement (apalis's
/// `get_jobs`: highest priority first, then oldest; rows other workers hold are skipped).
pub async fn claim(
    pool: &PgPool,
    worker: &str,
    queue: &str,
    count: usize,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", job AS "job!", attempts AS "attempts!", max_attempts AS "max_attempts!"
           FROM apalis.get_jobs($1, $2, $3)"#,
        worker,
        queue,
        i32::try_from(count).unwrap_or(i32::MAX),
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Claimed {
            id: row.id,
            job: row.job,
            attempt: u32::try_from(row.attempts).unwrap_or(0).saturating_add(1),
            max_attempts: u32::try_from(row.max_attempts).unwrap_or(0),
        })
        .collect())
}

/// Give claimed jobs that never started back to the queue (on shutdown), as if never claimed.
pub async fn release(pool: &PgPool, worker: &str, ids: &[String]) -> Result<u64, sqlx::Error> {
    let released = sqlx::query!(
        r#"UPDATE apalis.jobs SET status = 'Pending', lock_by = NULL, lock_at = NULL
           WHERE id = ANY($1) AND lock_by = $2 AND status = 'Queued'"#,
        ids,
        worker,
    )
    .execute(pool)
    .await?;
    Ok(released.rows_affected())
}
