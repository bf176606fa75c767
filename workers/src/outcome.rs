use std::time::Duration;

/// How a handler says a job did not complete; the runtime turns each into what happens to the
/// job's row (see [`crate::runtime::execute`]).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Something transient (network, 5xx, database hiccup): run again after an exponential
    /// backoff with jitter, until the job's attempts run out.
    #[error("{0}")]
    Retry(String),
    /// Not now, through no fault of the job (Telegram's 429 `retry_after`): run again after
    /// the delay, without using an attempt.
    #[error("snoozed for {0:?}")]
    Snooze(Duration),
    /// Running again cannot help (invalid payload, chat not found): keep the job as failed
    /// with this error until an admin retries or discards it.
    #[error("{0}")]
    Permanent(String),
}

impl JobError {
    pub fn retry(error: impl std::fmt::Display) -> Self {
        JobError::Retry(error.to_string())
    }

    pub fn permanent(error: impl std::fmt::Display) -> Self {
        JobError::Permanent(error.to_string())
    }
}

impl From<sqlx::Error> for JobError {
    /// A database error is retried unless it says the data itself breaks a rule: a unique,
    /// check, foreign-key or not-null violation (SQLSTATE class 23) or invalid data (class 22)
    /// fails the same way every time. Connection losses, serialization failures, deadlocks and
    /// everything else are worth another attempt.
    fn from(error: sqlx::Error) -> Self {
        let class = match &error {
            sqlx::Error::Database(db) => db
                .code()
                .map(|code| code.chars().take(2).collect::<String>()),
            _ => None,
        };
        match class.as_deref() {
            Some("23") => JobError::Permanent(format!(
                "the database refused the change, it breaks a rule of the schema ({error}); \
                 running it again cannot help: look at the data, then discard the job or fix the cause and retry"
            )),
            Some("22") => JobError::Permanent(format!(
                "the database refused a value as invalid ({error}); running it again cannot help"
            )),
            _ => JobError::Retry(format!("database error: {error}")),
        }
    }
}

impl From<jobs::QueueError> for JobError {
    fn from(error: jobs::QueueError) -> Self {
        match error {
            jobs::QueueError::Database(e) => e.into(),
            other => JobError::Permanent(other.to_string()),
        }
    }
}
