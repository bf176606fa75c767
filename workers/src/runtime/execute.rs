//! One run of one job, and what its outcome does to the job's row.
//!
//! | handler says            | row after the run                                          |
//! |-------------------------|------------------------------------------------------------|
//! | `Ok`, after `ctx.commit(tx)` | `Done`, in the handler's own transaction              |
//! | `Ok`                    | `Done` (batched, see [`crate::runtime`])                   |
//! | `Retry` / panic         | `Failed`, `run_at` = now + backoff; picked up again then,  |
//! |                         | until `attempts = max_attempts` (then it is kept failed)   |
//! | `Snooze(d)`             | `Pending`, `run_at` = now + d, `max_attempts` + 1, so the  |
//! |                         | attempt it used is given back                              |
//! | `Permanent`             | `Killed`: kept with its error, never picked up by itself   |

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use jobs::Envelope;
use sqlx::PgPool;

use super::acks::{Ack, Acks, Settle};
use super::claim::Claimed;
use crate::context::Completion;
use crate::{Backoff, JobContext, JobError, Registry};

/// Shared by every worker of a process.
#[derive(Clone)]
pub struct Executor {
    pub registry: Registry,
    pub pool: PgPool,
    pub backoff: Backoff,
    pub(crate) acks: Acks,
}

/// Run one claimed job for `worker` and hand its outcome to the batched writer (unless the
/// handler completed it in its own transaction).
pub(crate) async fn run_job(claimed: Claimed, worker: &str, executor: &Executor) {
    let ctx = JobContext::new(
        claimed.id,
        claimed.attempt,
        claimed.max_attempts,
        worker.to_owned(),
        executor.pool.clone(),
    );
    let envelope = serde_json::from_slice::<Envelope>(&claimed.job);
    let kind = envelope
        .as_ref()
        .map_or_else(|_| "unreadable".to_owned(), |e| e.kind.clone());
    let started = std::time::Instant::now();
    let outcome = match envelope {
        Err(error) => Err(JobError::Permanent(format!(
            "the job's stored payload is not a job envelope ({error}); it cannot run: discard it"
        ))),
        // A job rescued from dead workers runs again whatever its attempts: a job that
        // kills its worker every time must stop somewhere.
        Ok(_) if ctx.attempt > ctx.max_attempts => Err(JobError::Permanent(format!(
            "attempt {} exceeds the limit of {}: the workers running this job kept dying (crash, kill or out of memory); check their logs before retrying it",
            ctx.attempt, ctx.max_attempts
        ))),
        Ok(envelope) => match executor.registry.handler(&kind) {
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
        },
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
    if let Some(settle) = settle(executor, &ctx, &kind, outcome) {
        executor.acks.send(Ack {
            id: ctx.id.clone(),
            worker: ctx.worker.clone(),
            attempt: ctx.attempt,
            settle,
        });
    }
}

/// What the outcome does to the row, logged; none when the handler's transaction already
/// settled it.
fn settle(
    executor: &Executor,
    ctx: &JobContext,
    kind: &str,
    outcome: Result<(), JobError>,
) -> Option<Settle> {
    match (outcome, ctx.completion()) {
        (Ok(()), Completion::Committed | Completion::Lost) => None,
        (Ok(()), Completion::Open) => {
            tracing::debug!(job = %ctx.id, kind, attempt = ctx.attempt, "job done");
            Some(Settle::Done)
        }
        (Err(_), Completion::Committed | Completion::Lost) => {
            tracing::warn!(job = %ctx.id, kind, "job failed after its completion was committed; it stays done");
            None
        }
        (Err(JobError::Retry(error)), Completion::Open) => {
            let delay = executor.backoff.delay(ctx.attempt);
            if ctx.is_last_attempt() {
                tracing::error!(
                    job = %ctx.id, kind, attempt = ctx.attempt, %error,
                    "job failed on its last attempt and is kept as failed; retry it with `bot-auto-order jobs retry {}`", ctx.id
                );
            } else {
                tracing::warn!(
                    job = %ctx.id, kind, attempt = ctx.attempt, retry_in = ?delay, %error, "job failed, will retry"
                );
            }
            Some(Settle::Retry { error, delay })
        }
        (Err(JobError::Snooze(delay)), Completion::Open) => {
            tracing::debug!(job = %ctx.id, kind, ?delay, "job snoozed");
            Some(Settle::Snooze { delay })
        }
        (Err(JobError::Permanent(error)), Completion::Open) => {
            tracing::error!(
                job = %ctx.id, kind, %error,
                "job failed for good and is kept as failed; fix the cause, then `bot-auto-order jobs retry {}` or `jobs discard {}`", ctx.id, ctx.id
            );
            Some(Settle::Kill { error })
        }
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-text panic payload".to_owned())
}
