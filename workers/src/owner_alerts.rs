//! Owner alerts raised by the maintenance sweep: failed jobs at or above a threshold, a queue
//! whose oldest pending job waits too long (workers down or overloaded), errors logged today. Each kind is
//! one row in `owner_alerts` while it lasts, so the owners hear about it when it starts, when
//! it grows, again after `OWNER_ALERT_REPEAT` — and once more when it is over. Never twice for
//! the same news, however many replicas sweep.

use std::time::Duration;

use sqlx::PgConnection;

use crate::JobError;
use crate::telegram::push_alert;
use crate::ui::Outgoing;
use crate::ui::html::escape;
use crate::ui::texts::{Locale, OpsText, Texts};

/// Advisory lock key serialising alert checks ("bao-alrt").
const ALERTS_LOCK: i64 = 0x6261_6f2d_616c_7274;

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
    /// ERROR log lines today (all processes) that make an alert (0: never).
    pub errors: i64,
    /// The shop's time zone: "today" for the error count.
    pub timezone: chrono_tz::Tz,
}

/// A condition as seen now: how bad (higher is worse) and what to say (a text and its
/// values, each owner reading it in their language).
pub(crate) struct Condition {
    pub level: i64,
    pub text: OpsText,
    pub values: Vec<(&'static str, String)>,
}

impl Condition {
    fn render(&self, t: &Texts) -> String {
        t.render(self.text, &crate::ui::texts::borrowed(&self.values))
    }
}

pub async fn check(tx: &mut PgConnection, settings: &AlertSettings) -> Result<(), JobError> {
    // Sweeps may overlap (a slow one and the next): one check at a time decides what is news.
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", ALERTS_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    let failed = sqlx::query!(
        r#"SELECT count(*) AS "count!",
                  (array_agg(convert_from(job, 'UTF8')::jsonb->>'kind' ORDER BY done_at DESC NULLS LAST))[1] AS kind,
                  (array_agg(last_result->>'Err' ORDER BY done_at DESC NULLS LAST))[1] AS error
           FROM apalis.jobs WHERE job_state(status, run_at, attempts, max_attempts) = 'failed'"#
    )
    .fetch_one(&mut *tx)
    .await?;
    let failed_jobs =
        (settings.failed_jobs > 0 && failed.count >= settings.failed_jobs).then(|| {
            let error: String = failed.error.unwrap_or_default().chars().take(300).collect();
            Condition {
                level: failed.count,
                text: OpsText::AlertFailedJobs,
                values: vec![
                    ("count", failed.count.to_string()),
                    ("kind", escape(failed.kind.as_deref().unwrap_or("?"))),
                    ("error", escape(&error)),
                ],
            }
        });
    let over = OpsText::AlertFailedJobsOver;
    raise(tx, settings, "failed_jobs", failed_jobs, over).await?;
    let stuck = jobs::admin::stats(&mut *tx)
        .await?
        .into_iter()
        .filter_map(|s| Some((s.oldest_pending_secs?, s.queue)))
        .filter(|(age, _)| *age >= settings.backlog.as_secs_f64())
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let backlog = stuck.map(|(age, queue)| Condition {
        // Worse by the minute, so a growing backlog is reported again.
        level: (age / 60.0) as i64,
        text: OpsText::AlertBacklog,
        values: vec![("queue", escape(&queue)), ("seconds", format!("{age:.0}"))],
    });
    raise(tx, settings, "backlog", backlog, OpsText::AlertBacklogOver).await?;
    let errors = sqlx::query_scalar!(
        r#"SELECT (coalesce((SELECT value FROM telemetry_daily
                             WHERE metric = 'log.errors' AND day = (now() AT TIME ZONE $1)::date), 0)
                 + coalesce((SELECT sum(value) FROM telemetry_events
                             WHERE metric = 'log.errors' AND (at AT TIME ZONE $1)::date = (now() AT TIME ZONE $1)::date), 0))::bigint
           AS "count!""#,
        settings.timezone.name()
    )
    .fetch_one(&mut *tx)
    .await?;
    let logged = (settings.errors > 0 && errors >= settings.errors).then(|| Condition {
        // Once per order of magnitude: the 1st, 10th, 100th... error of the day.
        level: i64::from(errors.checked_ilog10().unwrap_or(0)) + 1,
        text: OpsText::AlertErrors,
        values: vec![("count", errors.to_string())],
    });
    raise(tx, settings, "errors", logged, OpsText::AlertErrorsOver).await
}

/// Send `now`'s alert if it is news, or the all-clear when a raised alert is over.
pub(crate) async fn raise(
    tx: &mut PgConnection,
    settings: &AlertSettings,
    key: &str,
    now: Option<Condition>,
    resolved: OpsText,
) -> Result<(), JobError> {
    let raised = sqlx::query!(
        r#"SELECT level, sent_at < now() - make_interval(secs => $2) AS "due!"
           FROM owner_alerts WHERE key = $1 FOR UPDATE"#,
        key,
        settings.repeat.as_secs_f64()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let news = match (raised, now) {
        (None, None) => return Ok(()),
        (Some(_), None) => {
            sqlx::query!("DELETE FROM owner_alerts WHERE key = $1", key)
                .execute(&mut *tx)
                .await?;
            None
        }
        (Some(raised), Some(now)) if now.level <= raised.level && !raised.due => return Ok(()),
        (_, Some(now)) => Some(now),
    };
    let texts = Texts::load(tx, Locale::Id).await?;
    match &news {
        Some(now) => {
            let detail = now.render(&texts);
            sqlx::query!(
                r#"INSERT INTO owner_alerts (key, level, detail) VALUES ($1, $2, $3)
                   ON CONFLICT (key) DO UPDATE SET level = $2, detail = $3, sent_at = now()"#,
                key,
                now.level,
                detail
            )
            .execute(&mut *tx)
            .await?;
            tracing::warn!(alert = key, %detail, "owner alert");
        }
        None => tracing::warn!(alert = key, "owner alert over"),
    }
    let mut owners = settings.owners.clone();
    owners.extend(
        sqlx::query_scalar!("SELECT telegram_id FROM admins WHERE role = 'owner'")
            .fetch_all(&mut *tx)
            .await?,
    );
    owners.sort_unstable();
    owners.dedup();
    for (owner, locale) in Texts::locales_of(tx, &owners).await? {
        let text = match &news {
            Some(now) => now.render(&texts.in_locale(locale)),
            None => texts.get_in(resolved, locale).to_owned(),
        };
        push_alert(tx, owner, vec![Outgoing::text(text)]).await?;
    }
    Ok(())
}
