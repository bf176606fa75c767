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

pub mod admin;
pub mod catalogue;
pub mod enqueue;
mod error;
pub mod ingress;

pub use admin::{JobDetail, JobFilter, JobState, JobSummary, QueueStats};
pub use catalogue::{Envelope, Job, Queue};
pub use enqueue::{enqueue, enqueue_at, enqueue_bulk};
pub use error::QueueError;
