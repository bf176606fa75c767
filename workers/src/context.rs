use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use sqlx::{PgConnection, PgPool, Postgres, Transaction};

/// What a handler knows about the job it runs, and how it completes the job in its own
/// transaction.
#[derive(Debug, Clone)]
pub struct JobContext {
    /// The job's id (a ULID), stable across attempts.
    pub id: String,
    /// 1 on the first run; counts runs that failed or were rescued after a crash.
    pub attempt: u32,
    /// Attempts the job may use (snoozes raise it, giving their attempt back).
    pub max_attempts: u32,
    /// The worker running it (the claim on the job's row).
    pub worker: String,
    pub pool: PgPool,
    completion: Arc<AtomicU8>,
}

/// How the job's completion went, when the handler committed it itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Completion {
    /// Not yet: the runtime writes the outcome (batched) when the handler returns.
    Open,
    /// Committed with the handler's transaction.
    Committed,
    /// The job was no longer this worker's (rescued while it ran): the transaction was rolled
    /// back, its effects are the rescuer's to apply.
    Lost,
}

impl JobContext {
    pub(crate) fn new(
        id: String,
        attempt: u32,
        max_attempts: u32,
        worker: String,
        pool: PgPool,
    ) -> Self {
        JobContext {
            id,
            attempt,
            max_attempts,
            worker,
            pool,
            completion: Arc::new(AtomicU8::new(0)),
        }
    }

    /// Whether a failure now would leave the job failed for good.
    pub fn is_last_attempt(&self) -> bool {
        self.attempt >= self.max_attempts
    }

    /// Commit `tx` with the job marked done in it: the handler's state changes, the jobs it
    /// enqueued and the job's own completion commit together or not at all, so a job's
    /// database effects happen exactly once although delivery is at-least-once (a crash before
    /// the commit leaves nothing behind; after it, the job is done and never runs again). The
    /// handler's last transaction ends with this instead of `tx.commit()`. When the job was
    /// rescued by another worker while this run was on it, nothing is committed.
    pub async fn commit(&self, mut tx: Transaction<'_, Postgres>) -> Result<(), sqlx::Error> {
        if self.complete_in(&mut tx).await? {
            tx.commit().await?;
            self.completion.store(1, Ordering::SeqCst);
        } else {
            tx.rollback().await?;
            self.completion.store(2, Ordering::SeqCst);
            tracing::warn!(job = %self.id, worker = %self.worker, "job was rescued by another worker while running here; this run's changes are rolled back");
        }
        Ok(())
    }

    /// Mark the job done inside `conn`'s transaction; false when it is no longer this
    /// worker's to complete.
    async fn complete_in(&self, conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
        let done = sqlx::query!(
            r#"UPDATE apalis.jobs
               SET status = 'Done', attempts = $3, done_at = now(), last_result = '{"Ok": null}'
               WHERE id = $1 AND lock_by = $2 AND status IN ('Queued', 'Running')"#,
            self.id,
            self.worker,
            i32::try_from(self.attempt).unwrap_or(i32::MAX),
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub(crate) fn completion(&self) -> Completion {
        match self.completion.load(Ordering::SeqCst) {
            0 => Completion::Open,
            1 => Completion::Committed,
            _ => Completion::Lost,
        }
    }
}
