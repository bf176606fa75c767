//! Owner alerts raised by the maintenance sweep: failed jobs at or above a threshold, and a
//! queue whose oldest pending job waits too long (workers down or overloaded). Each kind is
//! one row in `owner_alerts` while it lasts, so the owners hear about it when it starts, when
//! it grows, again after `OWNER_ALERT_REPEAT` — and once more when it is over. Never twice for
//! the same news, however many replicas sweep.

use std::time::Duration;

use sqlx::PgConnection;

use crate::JobError;
use crate::telegram::html::escape;
use crate::telegram::{Outgoing, push};

#[derive(Debug, Clone)]
pub struct AlertSettings {
    /// Configured owners (owners added in the bot are read from `admins`).
    pub owners: Vec<i64>,
    /// Failed jobs that make an alert (0: never).
    pub failed_jobs: i64,
    /// A pending job older than this on any queue makes an alert.
    pub backlog: Duration,
    /// An alert that still holds is sent again after this long.
    pub repeat: Duration,
}

/// A condition as seen now: how bad (higher is worse) and what to say.
struct Condition {
    level: i64,
    text: String,
}

pub async fn check(tx: &mut PgConnection, settings: &AlertSettings) -> Result<(), JobError> {
    let failed = sqlx::query!(
        r#"SELECT count(*) AS "count!",
                  (array_agg(convert_from(job, 'UTF8')::jsonb->>'kind' ORDER BY done_at DESC NULLS LAST))[1] AS kind,
                  (array_agg(last_result->>'Err' ORDER BY done_at DESC NULLS LAST))[1] AS error
           FROM apalis.jobs WHERE job_state(status, run_at, attempts, max_attempts) = 'failed'"#
    )
    .fetch_one(&mut *tx)
    .await?;
    let failed_jobs = (settings.failed_jobs > 0 && failed.count >= settings.failed_jobs).then(|| {
        Condition {
            level: failed.count,
            text: format!(
                "❗️ <b>{} failed job(s)</b>. Newest: <code>{}</code> — {}\nSee ⚙️ Admin → 🧰 Jobs to retry or discard.",
                failed.count,
                escape(failed.kind.as_deref().unwrap_or("?")),
                escape(&failed.error.unwrap_or_default().chars().take(300).collect::<String>()),
            ),
        }
    });
    raise(
        tx,
        settings,
        "failed_jobs",
        failed_jobs,
        "✅ No failed jobs are left.",
    )
    .await?;
    let stuck = jobs::admin::stats(&mut *tx)
        .await?
        .into_iter()
        .filter_map(|s| Some((s.oldest_pending_secs?, s.queue)))
        .filter(|(age, _)| *age >= settings.backlog.as_secs_f64())
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let backlog = stuck.map(|(age, queue)| Condition {
        // Worse by the minute, so a growing backlog is reported again.
        level: (age / 60.0) as i64,
        text: format!(
            "⏳ <b>Queue {queue} is stuck</b>: its oldest pending job has waited {:.0} s. Are the workers running (`bot-auto-order jobs stats`)?",
            age
        ),
    });
    raise(
        tx,
        settings,
        "backlog",
        backlog,
        "✅ The queues are moving again.",
    )
    .await
}

/// Send `now`'s alert if it is news, or the all-clear when a raised alert is over.
async fn raise(
    tx: &mut PgConnection,
    settings: &AlertSettings,
    key: &str,
    now: Option<Condition>,
    resolved: &str,
) -> Result<(), JobError> {
    let raised = sqlx::query!(
        r#"SELECT level, sent_at < now() - make_interval(secs => $2) AS "due!"
           FROM owner_alerts WHERE key = $1 FOR UPDATE"#,
        key,
        settings.repeat.as_secs_f64()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let text = match (raised, now) {
        (None, None) => return Ok(()),
        (Some(_), None) => {
            sqlx::query!("DELETE FROM owner_alerts WHERE key = $1", key)
                .execute(&mut *tx)
                .await?;
            resolved.to_owned()
        }
        (Some(raised), Some(now)) if now.level <= raised.level && !raised.due => return Ok(()),
        (_, Some(now)) => {
            sqlx::query!(
                r#"INSERT INTO owner_alerts (key, level, detail) VALUES ($1, $2, $3)
                   ON CONFLICT (key) DO UPDATE SET level = $2, detail = $3, sent_at = now()"#,
                key,
                now.level,
                now.text
            )
            .execute(&mut *tx)
            .await?;
            now.text
        }
    };
    tracing::warn!(alert = key, %text, "owner alert");
    let mut owners = settings.owners.clone();
    owners.extend(
        sqlx::query_scalar!("SELECT telegram_id FROM admins WHERE role = 'owner'")
            .fetch_all(&mut *tx)
            .await?,
    );
    owners.sort_unstable();
    owners.dedup();
    for owner in owners {
        push(tx, owner, vec![Outgoing::text(text.clone())]).await?;
    }
    Ok(())
}
