use sqlx::{PgConnection, PgPool};

/// What a handler knows about the job it runs.
#[derive(Debug, Clone)]
pub struct JobContext {
    /// The job's id (a ULID), stable across attempts.
    pub id: String,
    /// 1 on the first run; counts runs that failed or were rescued after a crash.
    pub attempt: u32,
    /// Attempts the job may use (snoozes raise it, giving their attempt back).
    pub max_attempts: u32,
    /// The apalis worker running it.
    pub worker: String,
    pub pool: PgPool,
}

impl JobContext {
    /// Whether a failure now would leave the job failed for good.
    pub fn is_last_attempt(&self) -> bool {
        self.attempt >= self.max_attempts
    }

    /// Claim this job's database effect inside `tx`, the transaction that applies it. Returns
    /// false when an earlier run of the same job already committed its effect: the handler
    /// must then skip it. This makes effects exactly-once although delivery is at-least-once.
    pub async fn claim_effect(&self, tx: &mut PgConnection) -> Result<bool, sqlx::Error> {
        let claimed = sqlx::query!(
            "INSERT INTO job_effects (job_id) VALUES ($1) ON CONFLICT DO NOTHING",
            self.id,
        )
        .execute(tx)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }
}
