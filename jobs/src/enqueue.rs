//! Putting jobs on the queue.
//!
//! Every function takes any sqlx executor: pass `&mut *tx` to enqueue inside your own
//! transaction (the job exists exactly when your state change commits), or `&pool` for a
//! job of its own. Rows are written straight into `apalis.jobs` rather than through
//! `apalis_postgres::queries::push_tasks` because that one has no `ON CONFLICT`: here a second
//! enqueue with the same idempotency key is a no-op, not an error. The insert trigger
//! (migration 0013) notifies listening workers at commit, once per queue per statement.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use ulid::Ulid;

use crate::QueueError;
use crate::catalogue::{Envelope, Job};

/// Enqueue `job` to run now. Returns the new job's id, or `None` when a job with the same
/// idempotency key is already on the queue.
pub async fn enqueue<'e, J: Job>(
    executor: impl PgExecutor<'e>,
    job: &J,
) -> Result<Option<String>, QueueError> {
    let rows = NewRows::of(std::slice::from_ref(job), None)?;
    let mut inserted = rows.insert(executor, J::QUEUE.as_str()).await?;
    Ok(inserted.pop())
}

/// Enqueue `job` to run at `run_at` (to the microsecond; a time in the past means now).
pub async fn enqueue_at<'e, J: Job>(
    executor: impl PgExecutor<'e>,
    job: &J,
    run_at: DateTime<Utc>,
) -> Result<Option<String>, QueueError> {
    let rows = NewRows::of(std::slice::from_ref(job), Some(run_at))?;
    let mut inserted = rows.insert(executor, J::QUEUE.as_str()).await?;
    Ok(inserted.pop())
}

/// Enqueue many jobs of one kind in a single statement; returns how many were new.
pub async fn enqueue_bulk<'e, J: Job>(
    executor: impl PgExecutor<'e>,
    jobs: &[J],
) -> Result<u64, QueueError> {
    if jobs.is_empty() {
        return Ok(0);
    }
    let rows = NewRows::of(jobs, None)?;
    let inserted = rows.insert(executor, J::QUEUE.as_str()).await?;
    Ok(inserted.len() as u64)
}

/// Column arrays for one multi-row insert.
struct NewRows {
    ids: Vec<String>,
    payloads: Vec<Vec<u8>>,
    max_attempts: Vec<i32>,
    /// `None`: now.
    run_at: Vec<Option<DateTime<Utc>>>,
    priorities: Vec<i32>,
    keys: Vec<Option<String>>,
}

impl NewRows {
    fn of<J: Job>(jobs: &[J], run_at: Option<DateTime<Utc>>) -> Result<Self, QueueError> {
        let mut rows = NewRows {
            ids: Vec::with_capacity(jobs.len()),
            payloads: Vec::with_capacity(jobs.len()),
            max_attempts: vec![J::MAX_ATTEMPTS; jobs.len()],
            run_at: vec![run_at; jobs.len()],
            priorities: vec![J::PRIORITY; jobs.len()],
            keys: Vec::with_capacity(jobs.len()),
        };
        for job in jobs {
            let envelope = Envelope::of(job)?;
            let payload = serde_json::to_vec(&envelope).map_err(|source| QueueError::Encode {
                kind: J::KIND,
                source,
            })?;
            rows.ids.push(Ulid::generate().to_string());
            rows.payloads.push(payload);
            rows.keys.push(job.idempotency_key());
        }
        Ok(rows)
    }

    async fn insert<'e>(
        self,
        executor: impl PgExecutor<'e>,
        queue: &str,
    ) -> Result<Vec<String>, QueueError> {
        let ids = sqlx::query_scalar!(
            r#"
            INSERT INTO apalis.jobs
                (id, job_type, job, status, attempts, max_attempts, run_at, priority, idempotency_key)
            SELECT id, $1, job, 'Pending', 0, max_attempts,
                   -- "Now" is the transaction's now(): the insert trigger wakes workers
                   -- only for run_at <= now(), and a client clock reading taken inside a
                   -- longer transaction is later than that, so no wake-up would be sent.
                   CASE WHEN run_at IS NULL OR run_at BETWEEN now() AND clock_timestamp() THEN now()
                        ELSE run_at END,
                   priority, idempotency_key
            FROM unnest($2::text[], $3::bytea[], $4::int4[], $5::timestamptz[], $6::int4[], $7::text[])
                AS new(id, job, max_attempts, run_at, priority, idempotency_key)
            ON CONFLICT (job_type, idempotency_key) DO NOTHING
            RETURNING id
            "#,
            queue,
            &self.ids,
            &self.payloads,
            &self.max_attempts,
            &self.run_at as &[Option<DateTime<Utc>>],
            &self.priorities,
            &self.keys as &[Option<String>],
        )
        .fetch_all(executor)
        .await?;
        Ok(ids)
    }
}
