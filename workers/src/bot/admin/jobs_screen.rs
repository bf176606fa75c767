//! The job queue from Telegram: counts per queue and state, failed jobs with their error and
//! attempts, retry one or all, discard.

use jobs::admin::{self as queue, JobFilter, JobState};
use serde_json::json;
use sqlx::PgConnection;

use super::callback::MenuPress;
use super::{Admin, Change, back, button, paging};
use crate::JobError;
use crate::bot::Reply;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::Screen;
use crate::ui::texts::{OpsText as O, Texts};

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
    let t = &admin.t;
    Ok(match pressed {
        JobPress::Jobs => Reply::edit(overview(tx, t).await?),
        JobPress::FailedJobs { page } => Reply::edit(failed(tx, t, page).await?),
        JobPress::Job { id } => Reply::edit(job(tx, t, &id).await?),
        JobPress::RetryJob { id } => {
            let retried = queue::retry(tx, &id).await?;
            if retried {
                let change = Change::of("job.retry", "job", id.clone());
                admin.audit(tx, change).await?;
            }
            let notice = t.get(if retried { O::Requeued } else { O::NotRetried });
            let notice = notice.to_owned();
            Reply::edit(job(tx, t, &id).await?).noticed(Some(notice))
        }
        JobPress::RetryAllJobs => {
            let ids = queue::retry_all_failed(tx, None).await?;
            if !ids.is_empty() {
                let change = Change::all("job.retry_all", "job").after(json!({ "ids": ids }));
                admin.audit(tx, change).await?;
            }
            let notice = t.render(O::RetriedAll, &[("count", &ids.len().to_string())]);
            Reply::edit(overview(tx, t).await?).noticed(Some(notice))
        }
        JobPress::DiscardJob { id } => {
            let discarded = queue::discard(tx, &id).await?;
            let notice = match discarded {
                Some(detail) => {
                    let change = Change::of("job.discard", "job", id.clone())
                        .before(json!({ "kind": detail.kind, "payload": detail.payload }));
                    admin.audit(tx, change).await?;
                    O::Discarded
                }
                None => O::NotDiscarded,
            };
            let notice = t.get(notice).to_owned();
            Reply::edit(failed(tx, t, 0).await?).noticed(Some(notice))
        }
    })
}

async fn overview(tx: &mut PgConnection, t: &Texts) -> Result<Screen, JobError> {
    let stats = queue::stats(&mut *tx).await?;
    let lines: Vec<String> = stats
        .iter()
        .map(|s| {
            let oldest = s
                .oldest_pending_secs
                .map(|age| t.render(O::Oldest, &[("seconds", &format!("{age:.0}"))]))
                .unwrap_or_default();
            t.render(
                O::QueueLine,
                &[
                    ("queue", &escape(&s.queue)),
                    ("pending", &s.pending.to_string()),
                    ("scheduled", &s.scheduled.to_string()),
                    ("running", &s.running.to_string()),
                    ("retrying", &s.retrying.to_string()),
                    ("failed", &s.failed.to_string()),
                    ("oldest", &oldest),
                ],
            )
        })
        .collect();
    let failed: i64 = stats.iter().map(|s| s.failed).sum();
    let mut buttons = vec![vec![button(
        t.render(O::FailedButton, &[("count", &failed.to_string())]),
        JobPress::FailedJobs { page: 0 },
    )]];
    if failed > 0 {
        buttons.push(vec![button(
            t.get(O::RetryAllButton),
            JobPress::RetryAllJobs,
        )]);
    }
    buttons.push(vec![button(t.get(O::RefreshButton), JobPress::Jobs)]);
    buttons.push(back(t, MenuPress::Home));
    Ok(Screen {
        text: t.render(O::JobsHeader, &[("lines", &lines.join("\n"))]),
        buttons,
    })
}

async fn failed(tx: &mut PgConnection, t: &Texts, page: u32) -> Result<Screen, JobError> {
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
    buttons.push(back(t, JobPress::Jobs));
    let heading = if buttons.len() == 1 {
        O::NoFailed
    } else {
        O::FailedHeader
    };
    Ok(Screen {
        text: t.get(heading).to_owned(),
        buttons,
    })
}

async fn job(tx: &mut PgConnection, t: &Texts, id: &str) -> Result<Screen, JobError> {
    let Some(job) = queue::show(&mut *tx, id).await? else {
        return Ok(Screen {
            text: t.get(O::JobGone).to_owned(),
            buttons: vec![back(t, JobPress::FailedJobs { page: 0 })],
        });
    };
    let payload: String = job.payload.to_string().chars().take(800).collect();
    let error = job
        .last_result
        .as_ref()
        .map(|r| r.get("Err").unwrap_or(r).to_string())
        .unwrap_or_default();
    let text = t.render(
        O::JobDetail,
        &[
            ("kind", &escape(job.kind.as_deref().unwrap_or("?"))),
            ("id", &escape(&job.id)),
            ("queue", &escape(&job.queue)),
            ("state", &escape(&job.state)),
            ("attempts", &job.attempts.to_string()),
            ("max", &job.max_attempts.to_string()),
            (
                "error",
                &escape(&error.chars().take(1000).collect::<String>()),
            ),
            ("payload", &escape(&payload)),
        ],
    );
    let mut buttons = Vec::new();
    if job.state == JobState::Failed.as_str() {
        buttons.push(vec![
            button(
                t.get(O::RetryButton),
                JobPress::RetryJob { id: job.id.clone() },
            ),
            button(
                t.get(O::DiscardButton),
                JobPress::DiscardJob { id: job.id.clone() },
            ),
        ]);
    }
    buttons.push(back(t, JobPress::FailedJobs { page: 0 }));
    Ok(Screen { text, buttons })
}
