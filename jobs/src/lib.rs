//! The contract between everything that asks for work (ingress, the bot, the CLI, other jobs)
//! and the workers that do it.
//!
//! * [`catalogue`]: every job kind — its payload, queue, priority, attempt limit and
//!   idempotency key.
//! * [`enqueue`]: put jobs on the queue inside the caller's transaction, now, later or in bulk.
//!   Enqueueing a job whose idempotency key is already on the queue does nothing.
//! * [`admin`]: list, show, retry, discard jobs and read per-queue statistics.
//! * [`ingress`]: a Telegram update or a payment notice recorded with the job that handles it.
//!
//! Jobs live in apalis-postgres's table `apalis.jobs`; apalis's workers run them. This crate
//! has no side effects of its own beyond those rows.

/// `Display` and `FromStr` for an enum of named values (`ALL`, `as_str`), refusing an
/// unknown name with the given [`QueueError`] variant.
macro_rules! named {
    ($ty:ident, $unknown:ident) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::QueueError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|named| named.as_str() == s.trim())
                    .ok_or_else(|| $crate::QueueError::$unknown(s.to_owned()))
            }
        }
    };
}
pub(crate) use named;

pub mod admin;
pub mod catalogue;
pub mod enqueue;
mod error;
pub mod ingress;

pub use admin::{JobDetail, JobFilter, JobState, JobSummary, QueueStats};
pub use catalogue::{Envelope, Job, Queue};
pub use enqueue::{enqueue, enqueue_at, enqueue_bulk};
pub use error::QueueError;
