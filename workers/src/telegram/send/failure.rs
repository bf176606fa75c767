//! What a refused call means for the batch: done, later, retry, the message rejected, the chat unreachable.

use std::time::Duration;

use super::super::api::ApiError;
use super::super::courier::Refused;

/// Why a message did not go out, by what should happen next.
pub(super) enum Failure {
    /// Counts as sent ("not modified", "already deleted").
    Done(String),
    /// Pacing or flood control: try again after this long.
    Later(Duration),
    Transient(String),
    Unreachable(String),
    /// Telegram refused this message; others may go.
    Rejected(String),
}

impl From<Refused> for Failure {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Wait(delay) => Failure::Later(delay),
            Refused::Api(error) => classify(error),
            Refused::Database(error) => Failure::Transient(format!("database: {error}")),
        }
    }
}

pub(super) fn classify(error: ApiError) -> Failure {
    let text = error.to_string();
    match error {
        ApiError::Network { .. } | ApiError::Server { .. } => Failure::Transient(text),
        ApiError::Refused {
            retry_after: Some(seconds),
            ..
        } => Failure::Later(Duration::from_secs(seconds.max(1))),
        ApiError::Refused { code: 429, .. } => Failure::Later(Duration::from_secs(1)),
        ref refused @ ApiError::Refused { code, .. } => {
            if DONE.iter().any(|phrase| refused.says(phrase)) {
                Failure::Done(text)
            } else if code == 403 || refused.says("chat not found") {
                Failure::Unreachable(text)
            } else if code == 400 {
                Failure::Rejected(text)
            } else {
                // 401 (token revoked), 404 (wrong API URL), 409 and the like: the operator's
                // to fix; keep trying with backoff meanwhile.
                Failure::Transient(text)
            }
        }
    }
}

/// Refusals that mean the wanted state is already there.
pub(super) const DONE: [&str; 4] = [
    "message is not modified",
    "message to delete not found",
    "message can't be deleted",
    // An edit of a message deleted since (a stale button on a cleaned-up placeholder).
    "message to edit not found",
];

pub(super) fn database(error: sqlx::Error) -> Failure {
    Failure::Transient(format!("database: {error}"))
}
