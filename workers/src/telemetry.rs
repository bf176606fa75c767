//! Counters for the owner's daily numbers.
//!
//! Anything that wants to count something calls [`record`], usually inside the transaction
//! that did the counted thing (so a rolled-back payment is not counted). The periodic
//! `telemetry.flush` job moves recorded counters into `telemetry_daily` — one row per day (in
//! the shop's time zone) and metric, always added to, never overwritten — in one statement
//! that deletes what it adds, so a repeated flush cannot count anything twice.

use chrono_tz::Tz;
use jobs::catalogue::TelemetryFlush;
use sqlx::PgExecutor;

use crate::{JobContext, JobError, Registry};

/// Count `value` of `metric` (lowercase, digits, `_` and `.`), now.
pub async fn record<'e>(
    executor: impl PgExecutor<'e>,
    metric: &str,
    value: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO telemetry_events (metric, value) VALUES ($1, $2)",
        metric,
        value
    )
    .execute(executor)
    .await?;
    Ok(())
}

pub fn register(registry: &mut Registry, timezone: Tz) {
    registry.register(move |_: TelemetryFlush, ctx: JobContext| flush(ctx, timezone));
}

async fn flush(ctx: JobContext, timezone: Tz) -> Result<(), JobError> {
    let moved = sqlx::query!(
        r#"
        WITH moved AS (
            DELETE FROM telemetry_events RETURNING at, metric, value
        )
        INSERT INTO telemetry_daily AS daily (day, metric, value)
        SELECT (at AT TIME ZONE $1)::date, metric, sum(value)::bigint
        FROM moved
        GROUP BY 1, 2
        ON CONFLICT (day, metric)
        DO UPDATE SET value = daily.value + EXCLUDED.value, updated_at = now()
        "#,
        timezone.name(),
    )
    .execute(&ctx.pool)
    .await?;
    tracing::debug!(rows = moved.rows_affected(), "telemetry flushed");
    Ok(())
}
