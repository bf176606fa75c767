//! `bot-auto-order jobs ...`: the queue admin API on the command line. Commands that change a
//! job enqueue an `audit.write` in the same transaction as the change.

use anyhow::Context;
use chrono::Utc;
use jobs::admin::{self, JobDetail, JobFilter, QueueStats};
use jobs::catalogue::AuditWrite;
use jobs::{JobState, Queue};
use serde_json::json;
use sqlx::PgPool;

use crate::cli::JobsCommand;

pub async fn run(pool: &PgPool, command: JobsCommand) -> anyhow::Result<()> {
    match command {
        JobsCommand::List {
            status,
            queue,
            kind,
            limit,
            json,
        } => {
            let filter = JobFilter {
                state: status.as_deref().map(str::parse::<JobState>).transpose()?,
                queue: queue.as_deref().map(str::parse::<Queue>).transpose()?,
                kind,
                limit: limit.clamp(1, 10_000),
            };
            let jobs = admin::list(pool, &filter).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&jobs)?);
            } else {
                println!(
                    "{:<26}  {:<10}  {:<18}  {:<9}  {:>8}  {:<20}  ERROR",
                    "ID", "QUEUE", "KIND", "STATE", "ATTEMPTS", "RUN AT"
                );
                for job in &jobs {
                    println!(
                        "{:<26}  {:<10}  {:<18}  {:<9}  {:>8}  {:<20}  {}",
                        job.id,
                        job.queue,
                        job.kind.as_deref().unwrap_or("?"),
                        job.state,
                        format!("{}/{}", job.attempts, job.max_attempts),
                        job.run_at.format("%Y-%m-%d %H:%M:%S"),
                        one_line(job.error.as_deref().unwrap_or("")),
                    );
                }
                println!("{} job(s)", jobs.len());
            }
        }
        JobsCommand::Show { id } => {
            let job = admin::show(pool, &id)
                .await?
                .with_context(|| format!("no job with id {id}; `jobs list` shows the ids"))?;
            println!("{}", serde_json::to_string_pretty(&job)?);
        }
        JobsCommand::Retry {
            id,
            all_failed,
            queue,
        } => {
            let mut tx = pool.begin().await?;
            if all_failed {
                let queue = queue.as_deref().map(str::parse::<Queue>).transpose()?;
                let ids = admin::retry_all_failed(&mut tx, queue).await?;
                if !ids.is_empty() {
                    audit(&mut tx, "job.retry_all", None, None, json!({ "ids": ids })).await?;
                }
                tx.commit().await?;
                println!("{} failed job(s) queued to run again", ids.len());
            } else {
                let id = id.context("name a job id, or pass --all-failed")?;
                let before = admin::show(&mut *tx, &id)
                    .await?
                    .with_context(|| format!("no job with id {id}; `jobs list` shows the ids"))?;
                if !admin::retry(&mut tx, &id).await? {
                    anyhow::bail!(
                        "job {id} is {}; only failed or retrying jobs can be retried",
                        before.state
                    );
                }
                audit(
                    &mut tx,
                    "job.retry",
                    Some(&id),
                    Some(&before),
                    json!({ "state": "pending" }),
                )
                .await?;
                tx.commit().await?;
                println!("job {id} queued to run again");
            }
        }
        JobsCommand::Discard { id } => {
            let mut tx = pool.begin().await?;
            let Some(before) = admin::discard(&mut tx, &id).await? else {
                let state = admin::show(&mut *tx, &id).await?.map(|job| job.state);
                match state {
                    Some(state) => anyhow::bail!(
                        "job {id} is {state}; a running job cannot be discarded, try again when it finishes"
                    ),
                    None => anyhow::bail!("no job with id {id}; `jobs list` shows the ids"),
                }
            };
            audit(
                &mut tx,
                "job.discard",
                Some(&id),
                Some(&before),
                serde_json::Value::Null,
            )
            .await?;
            tx.commit().await?;
            println!("job {id} discarded (its last state is in the audit log)");
        }
        JobsCommand::Stats { json } => {
            let stats = admin::stats(pool).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                print_stats(&stats);
            }
        }
    }
    Ok(())
}

fn print_stats(stats: &[QueueStats]) {
    println!(
        "{:<10}  {:>8}  {:>9}  {:>8}  {:>8}  {:>8}  {:>10}  OLDEST PENDING",
        "QUEUE", "PENDING", "SCHEDULED", "RUNNING", "RETRYING", "FAILED", "DONE"
    );
    for s in stats {
        let jobs::QueueStats {
            queue,
            pending,
            scheduled,
            running,
            retrying,
            failed,
            done,
            oldest_pending_secs,
        } = s;
        let oldest = oldest_pending_secs
            .map(|secs| format!("{secs:.1}s"))
            .unwrap_or_else(|| "-".to_owned());
        println!(
            "{queue:<10}  {pending:>8}  {scheduled:>9}  {running:>8}  {retrying:>8}  {failed:>8}  {done:>10}  {oldest}"
        );
    }
}

async fn audit(
    tx: &mut sqlx::PgConnection,
    action: &str,
    id: Option<&str>,
    before: Option<&JobDetail>,
    after: serde_json::Value,
) -> anyhow::Result<()> {
    let entry = AuditWrite {
        at: Utc::now(),
        actor: format!(
            "cli:{}",
            std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned())
        ),
        action: action.to_owned(),
        entity_type: "job".to_owned(),
        entity_id: id.map(str::to_owned),
        before: before.map(serde_json::to_value).transpose()?,
        after: (!after.is_null()).then_some(after),
    };
    jobs::enqueue(&mut *tx, &entry).await?;
    Ok(())
}

fn one_line(text: &str) -> String {
    let line: String = text.chars().take(80).collect();
    line.replace('\n', " ")
}
