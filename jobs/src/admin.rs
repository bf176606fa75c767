//! What an admin (CLI, bot menu, dashboard) can see and do with jobs.
//!
//! States are those of the SQL function `job_state` (migrations/0002_queue.sql), the single
//! definition shared by every listing and count here.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};

use crate::{Queue, QueueError};

/// A job's state as admins see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Pending,
    Scheduled,
    Running,
    Retrying,
    Failed,
    Done,
}

impl JobState {
    pub const ALL: [JobState; 6] = [
        JobState::Pending,
        JobState::Scheduled,
        JobState::Running,
        JobState::Retrying,
        JobState::Failed,
        JobState::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Scheduled => "scheduled",
            JobState::Running => "running",
            JobState::Retrying => "retrying",
            JobState::Failed => "failed",
            JobState::Done => "done",
        }
    }
}

crate::named! { JobState, UnknownState }

/// Which jobs to list; `None` fields match everything.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub state: Option<JobState>,
    pub queue: Option<Queue>,
    pub kind: Option<String>,
    pub limit: i64,
}

/// One line of a job listing, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct JobSummary {
    pub id: String,
    pub queue: String,
    pub kind: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
}

/// Everything known about one job.
#[derive(Debug, Clone, Serialize)]
pub struct JobDetail {
    pub id: String,
    pub queue: String,
    pub kind: Option<String>,
    pub state: String,
    pub payload: serde_json::Value,
    pub attempts: i32,
    pub max_attempts: i32,
    pub priority: Option<i32>,
    pub idempotency_key: Option<String>,
    pub run_at: DateTime<Utc>,
    pub lock_by: Option<String>,
    pub lock_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub last_result: Option<serde_json::Value>,
}

/// Job counts of one queue by state, and how long its oldest ready job has waited.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueueStats {
    pub queue: String,
    pub pending: i64,
    pub scheduled: i64,
    pub running: i64,
    pub retrying: i64,
    pub failed: i64,
    pub done: i64,
    pub oldest_pending_secs: Option<f64>,
}

pub async fn list<'e>(
    executor: impl PgExecutor<'e>,
    filter: &JobFilter,
) -> Result<Vec<JobSummary>, QueueError> {
    let rows = sqlx::query_as!(
        JobSummary,
        r#"
        SELECT id, job_type AS "queue!", kind, state AS "state!", attempts, max_attempts,
               run_at, done_at, last_result->>'Err' AS error
        FROM (
            SELECT j.*, convert_from(j.job, 'UTF8')::jsonb->>'kind' AS kind,
                   job_state(j.status, j.run_at, j.attempts, j.max_attempts) AS state
            FROM apalis.jobs j
            WHERE ($1::text IS NULL OR j.job_type = $1)
        ) j
        WHERE ($2::text IS NULL OR state = $2)
          AND ($3::text IS NULL OR kind = $3)
        ORDER BY id DESC
        LIMIT $4
        "#,
        filter.queue.map(Queue::as_str),
        filter.state.map(JobState::as_str),
        filter.kind.as_deref(),
        filter.limit,
    )
    .fetch_all(executor)
    .await?;
    Ok(rows)
}

pub async fn show<'e>(
    executor: impl PgExecutor<'e>,
    id: &str,
) -> Result<Option<JobDetail>, QueueError> {
    let row = sqlx::query_as!(
        JobDetail,
        r#"
        SELECT id, job_type AS "queue!",
               convert_from(job, 'UTF8')::jsonb->>'kind' AS kind,
               job_state(status, run_at, attempts, max_attempts) AS "state!",
               convert_from(job, 'UTF8')::jsonb AS "payload!",
               attempts, max_attempts, priority, idempotency_key, run_at, lock_by, lock_at,
               done_at, last_result
        FROM apalis.jobs
        WHERE id = $1
        "#,
        id,
    )
    .fetch_optional(executor)
    .await?;
    Ok(row)
}

/// Run a failed or retrying job again now, with a fresh set of attempts. Returns false when
/// the job does not exist or is not failed/retrying.
pub async fn retry(conn: &mut PgConnection, id: &str) -> Result<bool, QueueError> {
    let queue = sqlx::query_scalar!(
        r#"
        UPDATE apalis.jobs
        SET status = 'Pending', attempts = 0, run_at = now(), lock_by = NULL, lock_at = NULL,
            done_at = NULL, last_result = NULL
        WHERE id = $1 AND status IN ('Failed', 'Killed')
        RETURNING job_type
        "#,
        id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    match queue {
        Some(queue) => {
            wake(conn, &queue, id).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Retry every failed job (optionally of one queue); returns how many.
pub async fn retry_all_failed(
    conn: &mut PgConnection,
    queue: Option<Queue>,
) -> Result<Vec<String>, QueueError> {
    let retried = sqlx::query!(
        r#"
        UPDATE apalis.jobs
        SET status = 'Pending', attempts = 0, run_at = now(), lock_by = NULL, lock_at = NULL,
            done_at = NULL, last_result = NULL
        WHERE job_state(status, run_at, attempts, max_attempts) = 'failed'
          AND ($1::text IS NULL OR job_type = $1)
        RETURNING id, job_type
        "#,
        queue.map(Queue::as_str),
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut woken: Vec<&str> = Vec::new();
    for job in &retried {
        if !woken.contains(&job.job_type.as_str()) {
            wake(conn, &job.job_type, &job.id).await?;
            woken.push(&job.job_type);
        }
    }
    Ok(retried.into_iter().map(|r| r.id).collect())
}

/// Delete a job that is not running, returning what it was (for the audit trail).
pub async fn discard(conn: &mut PgConnection, id: &str) -> Result<Option<JobDetail>, QueueError> {
    let Some(detail) = show(&mut *conn, id).await? else {
        return Ok(None);
    };
    let deleted = sqlx::query!(
        "DELETE FROM apalis.jobs WHERE id = $1 AND status NOT IN ('Queued', 'Running')",
        id,
    )
    .execute(&mut *conn)
    .await?;
    Ok((deleted.rows_affected() == 1).then_some(detail))
}

/// Counts per queue and state; every known queue appears, even when empty.
pub async fn stats<'e>(executor: impl PgExecutor<'e>) -> Result<Vec<QueueStats>, QueueError> {
    let rows = sqlx::query_as!(
        QueueStats,
        r#"
        SELECT job_type AS "queue!",
               count(*) FILTER (WHERE state = 'pending') AS "pending!",
               count(*) FILTER (WHERE state = 'scheduled') AS "scheduled!",
               count(*) FILTER (WHERE state = 'running') AS "running!",
               count(*) FILTER (WHERE state = 'retrying') AS "retrying!",
               count(*) FILTER (WHERE state = 'failed') AS "failed!",
               count(*) FILTER (WHERE state = 'done') AS "done!",
               EXTRACT(EPOCH FROM now() - min(run_at) FILTER (WHERE state = 'pending'))::float8
                   AS oldest_pending_secs
        FROM (
            SELECT job_type, run_at, job_state(status, run_at, attempts, max_attempts) AS state
            FROM apalis.jobs
        ) j
        GROUP BY job_type
        ORDER BY job_type
        "#,
    )
    .fetch_all(executor)
    .await?;
    let mut stats = rows;
    for queue in Queue::ALL {
        if !stats.iter().any(|s| s.queue == queue.as_str()) {
            stats.push(QueueStats {
                queue: queue.as_str().to_owned(),
                ..QueueStats::default()
            });
        }
    }
    stats.sort_by(|a, b| a.queue.cmp(&b.queue));
    Ok(stats)
}

/// Age in seconds of the oldest job that is ready to run and not yet claimed, on any queue.
pub async fn oldest_pending_age<'e>(
    executor: impl PgExecutor<'e>,
) -> Result<Option<f64>, QueueError> {
    let age = sqlx::query_scalar!(
        r#"
        SELECT EXTRACT(EPOCH FROM now() - min(run_at))::float8
        FROM apalis.jobs
        WHERE status = 'Pending' AND run_at <= now()
        "#
    )
    .fetch_one(executor)
    .await?;
    Ok(age)
}

/// Wake the workers of `queue` now, as the insert trigger would (it fires on insert only, and
/// a retried job is an update). The notice keeps apalis's shape; the workers read its queue.
async fn wake(conn: &mut PgConnection, queue: &str, id: &str) -> Result<(), QueueError> {
    sqlx::query!(
        r#"SELECT 1 AS "woken!" FROM (SELECT pg_notify('apalis::job::insert',
               json_build_object('job_type', $1::text, 'id', $2::text, 'run_at', now())::text)) n"#,
        queue,
        id,
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}
