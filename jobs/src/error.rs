use thiserror::Error;

/// Why a queue operation failed.
#[derive(Debug, Error)]
pub enum QueueError {
    #[error("the job queue in PostgreSQL could not be reached or refused the query: {0}")]
    Database(#[from] sqlx::Error),
    #[error("job payload of kind `{kind}` could not be encoded as JSON: {source}")]
    Encode {
        kind: &'static str,
        source: serde_json::Error,
    },
    #[error(
        "unknown job state `{0}`; expected one of pending, scheduled, running, retrying, failed, done"
    )]
    UnknownState(String),
    #[error("unknown queue `{0}`; expected one of {queues}", queues = crate::Queue::names())]
    UnknownQueue(String),
}
