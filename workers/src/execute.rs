//! One run of one job, and what its outcome does to the job's row.
//!
//! apalis acknowledges a run by writing status and attempt count; it does not delay retries
//! and has no snooze. So before handing the outcome back, this module moves the row's
//! `run_at` (and for a snooze, `max_attempts`) itself; apalis's acknowledgement leaves those
//! columns alone:
//!
//! | handler says            | row after the run                                          |
//! |-------------------------|------------------------------------------------------------|
//! | `Ok`                    | `Done`                                                     |
//! | `Retry` / panic         | `Failed`, `run_at` = now + backoff; picked up again then,  |
//! |                         | until `attempts = max_attempts` (then it is kept failed)   |
//! | `Snooze(d)`             | `Pending`, `run_at` = now + d, `max_attempts` + 1, so the  |
//! |                         | attempt it used is given back                              |
//! | `Permanent`             | `Killed`: kept with its error, never picked up by itself   |

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::{
    AbortError, Attempt, BoxDynError, Data, FromRequest, RetryAfterError, Task, TaskId,
    WorkerContext,
};
use futures::FutureExt;
use jobs::Envelope;
use sqlx::PgPool;

use crate::{Backoff, JobContext, JobError, Registry};

/// Shared by every apalis worker of a process.
#[derive(Clone)]
pub struct Executor {
    pub registry: Registry,
    pub pool: PgPool,
    pub backoff: Backoff,
}

/// The job's attempt limit as fetched with it.
pub struct AttemptLimit(u32);

impl FromRequest<Task<Envelope>> for AttemptLimit {
    type Error = Infallible;

    async fn from_request(task: &Task<Envelope>) -> Result<Self, Infallible> {
        let limit = task.ctx().max_attempts().unwrap_or(usize::MAX);
        Ok(AttemptLimit(u32::try_from(limit).unwrap_or(u32::MAX)))
    }
}

/// The apalis task function of every queue.
pub async fn run_job(
    envelope: Envelope,
    id: TaskId,
    attempt: Attempt,
    limit: AttemptLimit,
    worker: WorkerContext,
    executor: Data<Arc<Executor>>,
) -> Result<(), BoxDynError> {
    let ctx = JobContext {
        id: id.to_string(),
        attempt: u32::try_from(attempt.current()).unwrap_or(u32::MAX),
        max_attempts: limit.0,
        worker: worker.name().to_owned(),
        pool: executor.pool.clone(),
    };
    let kind = envelope.kind.clone();
    let started = std::time::Instant::now();
    let outcome = match executor.registry.handler(&kind) {
        // apalis re-runs a job rescued from a dead worker whatever its attempts: a job that
        // kills its worker every time must stop somewhere.
        _ if ctx.attempt > limit.0 => Err(JobError::Permanent(format!(
            "attempt {} exceeds the limit of {}: the workers running this job kept dying (crash, kill or out of memory); check their logs before retrying it",
            ctx.attempt, limit.0
        ))),
        None => Err(JobError::Permanent(format!(
            "unknown job kind `{kind}`: this build cannot run it; deploy a build that knows it, then retry the job"
        ))),
        Some(handler) => AssertUnwindSafe(handler(envelope.args, ctx.clone()))
            .catch_unwind()
            .await
            .unwrap_or_else(|panic| {
                Err(JobError::Retry(format!(
                    "handler panicked: {}",
                    panic_message(&panic)
                )))
            }),
    };
    let metrics = crate::metrics::metrics();
    metrics
        .job_seconds
        .with_label_values(&[kind.as_str()])
        .observe(started.elapsed().as_secs_f64());
    let label = match &outcome {
        Ok(()) => "done",
        Err(JobError::Retry(_)) => "retry",
        Err(JobError::Snooze(_)) => "snooze",
        Err(JobError::Permanent(_)) => "failed",
    };
    metrics
        .jobs
        .with_label_values(&[kind.as_str(), label])
        .inc();
    settle(&executor, &ctx, &kind, outcome).await
}

async fn settle(
    executor: &Executor,
    ctx: &JobContext,
    kind: &str,
    outcome: Result<(), JobError>,
) -> Result<(), BoxDynError> {
    match outcome {
        Ok(()) => {
            tracing::debug!(job = %ctx.id, kind, attempt = ctx.attempt, "job done");
            Ok(())
        }
        Err(JobError::Retry(error)) => {
            let delay = executor.backoff.delay(ctx.attempt);
            match postpone(&executor.pool, &ctx.id, delay, false).await {
                Ok(()) if ctx.is_last_attempt() => tracing::error!(
                    job = %ctx.id, kind, attempt = ctx.attempt, %error,
                    "job failed on its last attempt and is kept as failed; retry it with `bot-auto-order jobs retry {}`", ctx.id
                ),
                Ok(_) => tracing::warn!(
                    job = %ctx.id, kind, attempt = ctx.attempt, retry_in = ?delay, %error, "job failed, will retry"
                ),
                Err(db) => tracing::warn!(
                    job = %ctx.id, kind, attempt = ctx.attempt, %error, %db,
                    "job failed and its backoff could not be stored; it may retry at once"
                ),
            }
            Err(error.into())
        }
        Err(JobError::Snooze(delay)) => {
            if let Err(db) = postpone(&executor.pool, &ctx.id, delay, true).await {
                tracing::warn!(job = %ctx.id, kind, %db, "snooze could not be stored; the job may run again at once");
            }
            tracing::debug!(job = %ctx.id, kind, ?delay, "job snoozed");
            Err(RetryAfterError::new(format!("snoozed for {delay:?}"), delay).into())
        }
        Err(JobError::Permanent(error)) => {
            tracing::error!(
                job = %ctx.id, kind, %error,
                "job failed for good and is kept as failed; fix the cause, then `bot-auto-order jobs retry {}` or `jobs discard {}`", ctx.id, ctx.id
            );
            Err(AbortError::new(error).into())
        }
    }
}

/// Move the job's next run to now + `delay`; a snooze also gives back the attempt it used.
async fn postpone(
    pool: &PgPool,
    id: &str,
    delay: Duration,
    snooze: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        UPDATE apalis.jobs
        SET run_at = clock_timestamp() + make_interval(secs => $2),
            max_attempts = max_attempts + CASE WHEN $3 THEN 1 ELSE 0 END
        WHERE id = $1
        "#,
        id,
        delay.as_secs_f64(),
        snooze,
    )
    .execute(pool)
    .await?;
    Ok(())
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-text panic payload".to_owned())
}
