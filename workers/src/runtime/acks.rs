//! Outcomes of jobs whose completion did not commit with their own transaction (done
//! without one, retry, snooze, failure), written in batches: one task per process takes
//! every outcome that came in while its last statement ran and writes them all in one
//! `UPDATE … FROM unnest(…)`. Idle, an outcome is written at once; busy, hundreds share a
//! statement.
//!
//! An outcome only applies to a row still claimed (`Queued`/`Running`) by the worker that ran
//! it: a job rescued meanwhile, or already completed in its own transaction, is left alone.
//! A write that fails is retried until it succeeds (a job left claimed by a live worker would
//! wait for ever); at shutdown the runtime waits a little for the last ones, and what is not
//! written by then runs again after the rescue of this process's jobs.

use std::time::Duration;

use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::sync::mpsc;

/// Outcomes written per statement at most.
const MAX_BATCH: usize = 1_000;

/// What becomes of the row.
#[derive(Debug, Clone, PartialEq)]
pub enum Settle {
    Done,
    /// `Failed`, run again after the delay while attempts are left.
    Retry {
        error: String,
        delay: Duration,
    },
    /// `Pending` after the delay, the attempt given back.
    Snooze {
        delay: Duration,
    },
    /// `Killed`: kept with its error, never picked up by itself.
    Kill {
        error: String,
    },
}

/// One job's outcome.
#[derive(Debug, Clone)]
pub struct Ack {
    pub id: String,
    pub worker: String,
    pub attempt: u32,
    pub settle: Settle,
}

/// Where a process's workers send outcomes.
#[derive(Clone)]
pub struct Acks(mpsc::UnboundedSender<Ack>);

impl Acks {
    /// Start the writer; it ends when every sender is gone and the last outcomes are written.
    pub fn start(pool: PgPool) -> (Self, tokio::task::JoinHandle<()>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        (Acks(sender), tokio::spawn(write_all(pool, receiver)))
    }

    pub fn send(&self, ack: Ack) {
        if self.0.send(ack).is_err() {
            tracing::warn!(
                "job outcome arrived after the writer stopped; the job runs again after rescue"
            );
        }
    }
}

async fn write_all(pool: PgPool, mut receiver: mpsc::UnboundedReceiver<Ack>) {
    let mut batch = Vec::new();
    while let Some(first) = receiver.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(ack) => batch.push(ack),
                Err(_) => break,
            }
        }
        let mut pause = Duration::from_millis(100);
        while let Err(error) = write(&pool, &batch).await {
            tracing::warn!(%error, jobs = batch.len(), ?pause, "job outcomes not written; retrying");
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(5));
        }
        batch.clear();
    }
}

async fn write(pool: &PgPool, batch: &[Ack]) -> Result<(), sqlx::Error> {
    let mut ids = Vec::with_capacity(batch.len());
    let mut workers = Vec::with_capacity(batch.len());
    let mut statuses = Vec::with_capacity(batch.len());
    let mut attempts = Vec::with_capacity(batch.len());
    let mut results = Vec::with_capacity(batch.len());
    let mut delays: Vec<Option<f64>> = Vec::with_capacity(batch.len());
    let mut given_back = Vec::with_capacity(batch.len());
    for ack in batch {
        let (status, result, delay, extra): (&str, Value, Option<Duration>, i32) = match &ack.settle
        {
            Settle::Done => ("Done", json!({ "Ok": null }), None, 0),
            Settle::Retry { error, delay } => ("Failed", json!({ "Err": error }), Some(*delay), 0),
            Settle::Snooze { delay } => (
                "Pending",
                json!({ "Err": format!("snoozed for {delay:?}") }),
                Some(*delay),
                1,
            ),
            Settle::Kill { error } => ("Killed", json!({ "Err": error }), None, 0),
        };
        ids.push(ack.id.clone());
        workers.push(ack.worker.clone());
        statuses.push(status.to_owned());
        attempts.push(i32::try_from(ack.attempt).unwrap_or(i32::MAX));
        results.push(result);
        delays.push(delay.map(|d| d.as_secs_f64()));
        given_back.push(extra);
    }
    sqlx::query!(
        r#"
        UPDATE apalis.jobs j
        SET status = a.status,
            attempts = a.attempt,
            last_result = a.result,
            done_at = CASE WHEN a.status = 'Pending' THEN NULL ELSE now() END,
            run_at = CASE WHEN a.delay IS NULL THEN j.run_at
                          ELSE clock_timestamp() + make_interval(secs => a.delay) END,
            max_attempts = j.max_attempts + a.given_back
        FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::jsonb[], $6::float8[], $7::int4[])
             AS a(id, worker, status, attempt, result, delay, given_back)
        WHERE j.id = a.id AND j.lock_by = a.worker AND j.status IN ('Queued', 'Running')
        "#,
        &ids,
        &workers,
        &statuses,
        &attempts,
        &results,
        &delays as &[Option<f64>],
        &given_back,
    )
    .execute(pool)
    .await?;
    Ok(())
}
