//! The job queue from Telegram: counts per queue and state, failed jobs with their error and
//! attempts, retry one or all, discard.

use jobs::admin::{self as queue, JobFilter, JobState};
use serde_json::json;
use sqlx::PgConnection;

use super::callback::MenuPress;
use super::{Admin, audit, back, button, paging};
use crate::JobError;
use crate::bot::Reply;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::Screen;

callbacks! {
    /// An admin's press on the job queue.
    pub enum JobPress = "a:" {
        Jobs = "j",
        FailedJobs { page: u32 } = "jf",
        Job { id: String } = "js",
        RetryJob { id: String } = "jr",
        RetryAllJobs = "jR",
        DiscardJob { id: String } = "jd",
    }
}

impl Checked for JobPress {
    fn allowed(&self) -> bool {
        match self {
            JobPress::Job { id } | JobPress::RetryJob { id } | JobPress::DiscardJob { id } => {
                id.len() == 26
            }
            _ => true,
        }
    }
}

const PAGE: usize = 8;

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: JobPress,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        JobPress::Jobs => Reply::edit(overview(tx).await?),
        JobPress::FailedJobs { page } => Reply::edit(failed(tx, page).await?),
        JobPress::Job { id } => Reply::edit(job(tx, &id).await?),
        JobPress::RetryJob { id } => {
            let retried = queue::retry(tx, &id).await?;
            if retried {
                audit(
                    tx,
                    &admin.actor(),
                    "job.retry",
                    ("job", Some(id.clone())),
                    None,
                    None,
                )
                .await?;
            }
            let notice = if retried {
                "Queued again; it runs in a moment."
            } else {
                "Only a failed job can be retried (it may have been retried already)."
            };
            Reply::edit(job(tx, &id).await?).noticed(Some(notice.to_owned()))
        }
        JobPress::RetryAllJobs => {
            let ids = queue::retry_all_failed(tx, None).await?;
            if !ids.is_empty() {
                audit(
                    tx,
                    &admin.actor(),
                    "job.retry_all",
                    ("job", None),
                    None,
                    Some(json!({ "ids": ids })),
                )
                .await?;
            }
            Reply::edit(overview(tx).await?)
                .noticed(Some(format!("{} failed job(s) queued again.", ids.len())))
        }
        JobPress::DiscardJob { id } => {
            let discarded = queue::discard(tx, &id).await?;
            let notice = match discarded {
                Some(detail) => {
                    audit(
                        tx,
                        &admin.actor(),
                        "job.discard",
                        ("job", Some(id.clone())),
                        Some(json!({ "kind": detail.kind, "payload": detail.payload })),
                        None,
                    )
                    .await?;
                    "Discarded."
                }
                None => "Not discarded: the job is gone or running.",
            };
            Reply::edit(failed(tx, 0).await?).noticed(Some(notice.to_owned()))
        }
    })
}

async fn overview(tx: &mut PgConnection) -> Result<Screen, JobError> {
    let stats = queue::stats(&mut *tx).await?;
    let lines: Vec<String> = stats
        .iter()
        .map(|s| {
            format!(
                "<b>{}</b>: pending {} · scheduled {} · running {} · retrying {} · <b>failed {}</b>{}",
                s.queue,
                s.pending,
                s.scheduled,
                s.running,
                s.retrying,
                s.failed,
                s.oldest_pending_secs
                    .map(|age| format!(" · oldest {age:.0}s"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let failed: i64 = stats.iter().map(|s| s.failed).sum();
    let mut buttons = vec![vec![button(
        format!("❗️ Failed jobs ({failed})"),
        JobPress::FailedJobs { page: 0 },
    )]];
    if failed > 0 {
        buttons.push(vec![button("🔁 Retry all failed", JobPress::RetryAllJobs)]);
    }
    buttons.push(vec![button("🔄 Refresh", JobPress::Jobs)]);
    buttons.push(back(MenuPress::Home));
    Ok(Screen {
        text: format!("🧰 <b>Jobs</b>\n{}", lines.join("\n")),
        buttons,
    })
}

async fn failed(tx: &mut PgConnection, page: u32) -> Result<Screen, JobError> {
    let skip = usize::try_from(page).unwrap_or(0) * PAGE;
    let filter = JobFilter {
        state: Some(JobState::Failed),
        queue: None,
        kind: None,
        limit: i64::try_from(skip + PAGE + 1).unwrap_or(i64::MAX),
    };
    let jobs = queue::list(&mut *tx, &filter).await?;
    let more = jobs.len() > skip + PAGE;
    let mut buttons: Vec<Vec<_>> = jobs
        .iter()
        .skip(skip)
        .take(PAGE)
        .map(|j| {
            vec![button(
                format!(
                    "{} · {}/{} · {}",
                    j.kind.as_deref().unwrap_or("?"),
                    j.attempts,
                    j.max_attempts,
                    j.error
                        .as_deref()
                        .unwrap_or("")
                        .chars()
                        .take(40)
                        .collect::<String>()
                ),
                JobPress::Job { id: j.id.clone() },
            )]
        })
        .collect();
    paging(&mut buttons, page, more, |page| JobPress::FailedJobs {
        page,
    });
    buttons.push(back(JobPress::Jobs));
    Ok(Screen {
        text: if buttons.len() == 1 {
            "✅ No failed jobs.".to_owned()
        } else {
            "❗️ <b>Failed jobs</b>, newest first. Open one to see its error and retry it."
                .to_owned()
        },
        buttons,
    })
}

async fn job(tx: &mut PgConnection, id: &str) -> Result<Screen, JobError> {
    let Some(job) = queue::show(&mut *tx, id).await? else {
        return Ok(Screen {
            text: "That job no longer exists.".to_owned(),
            buttons: vec![back(JobPress::FailedJobs { page: 0 })],
        });
    };
    let payload: String = job.payload.to_string().chars().take(800).collect();
    let error = job
        .last_result
        .as_ref()
        .map(|r| r.get("Err").unwrap_or(r).to_string())
        .unwrap_or_default();
    let text = format!(
        "🧾 <b>{}</b> <code>{}</code>\nQueue {} · state <b>{}</b> · attempts {}/{}\n\n<b>Error:</b> {}\n\n<b>Payload:</b> <code>{}</code>",
        escape(job.kind.as_deref().unwrap_or("?")),
        job.id,
        job.queue,
        job.state,
        job.attempts,
        job.max_attempts,
        escape(&error.chars().take(1000).collect::<String>()),
        escape(&payload),
    );
    let mut buttons = Vec::new();
    if job.state == "failed" {
        buttons.push(vec![
            button("🔁 Retry", JobPress::RetryJob { id: job.id.clone() }),
            button("🗑 Discard", JobPress::DiscardJob { id: job.id.clone() }),
        ]);
    }
    buttons.push(back(JobPress::FailedJobs { page: 0 }));
    Ok(Screen { text, buttons })
}
