//! Periodic jobs that run once per period however many worker processes are up.
//!
//! Every worker process runs this scheduler. At each period boundary it enqueues the period's
//! job with the idempotency key `<kind>:<slot>`, where `slot` is the number of whole periods
//! since the Unix epoch: however many processes enqueue slot 29,412,345, the queue holds one
//! such job. A process that starts mid-period enqueues the current slot at once, so a
//! restart never skips a period; an outage longer than a period skips the slots it missed
//! (each job catches up on everything due, so nothing is lost by that). A slot that began
//! before the process started is due now, not at its start: otherwise a fresh job would look
//! as if it had waited since then (the owners' "queue stuck" alert, `reconcile`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use jobs::catalogue::{BackupRun, MaintenanceSweep, TelemetryFlush};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

/// How often each periodic job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub sweep_every: Duration,
    pub telemetry_every: Duration,
    /// None: no scheduled backups (no BACKUP_PASSWORD).
    pub backup_every: Option<Duration>,
}

/// The slot that contains `at` for a period, and when that slot started.
pub fn slot(at: DateTime<Utc>, every: Duration) -> (i64, DateTime<Utc>) {
    let period_ms = i64::try_from(every.as_millis()).unwrap_or(i64::MAX).max(1);
    let slot = at.timestamp_millis().div_euclid(period_ms);
    let start = DateTime::from_timestamp_millis(slot * period_ms).unwrap_or(at);
    (slot, start)
}

pub async fn run(pool: PgPool, schedule: Schedule, shutdown: CancellationToken) {
    loop {
        let now = Utc::now();
        let (sweep_slot, sweep_start) = slot(now, schedule.sweep_every);
        let (flush_slot, flush_start) = slot(now, schedule.telemetry_every);
        let sweep = MaintenanceSweep { slot: sweep_slot };
        let flush = TelemetryFlush { slot: flush_slot };
        if let Err(error) = jobs::enqueue_at(&pool, &sweep, sweep_start.max(now)).await {
            tracing::warn!(%error, "could not enqueue the periodic maintenance sweep; will try next period");
        }
        if let Err(error) = jobs::enqueue_at(&pool, &flush, flush_start.max(now)).await {
            tracing::warn!(%error, "could not enqueue the periodic telemetry flush; will try next period");
        }
        let mut next = [
            sweep_start + schedule.sweep_every,
            flush_start + schedule.telemetry_every,
        ]
        .into_iter()
        .min()
        .unwrap_or(now);
        if let Some(every) = schedule.backup_every {
            let (backup_slot, backup_start) = slot(now, every);
            let backup = BackupRun { slot: backup_slot };
            if let Err(error) = jobs::enqueue_at(&pool, &backup, backup_start.max(now)).await {
                tracing::warn!(%error, "could not enqueue the periodic backup; will try next period");
            }
            next = next.min(backup_start + every);
        }
        let wait = (next - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.cancelled() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_whole_periods_since_the_epoch() {
        let at = DateTime::parse_from_rfc3339("2026-11-25T10:00:59.999Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let (slot_a, start) = slot(at, Duration::from_secs(60));
        let (slot_b, _) = slot(
            at + chrono::Duration::milliseconds(1),
            Duration::from_secs(60),
        );
        assert_eq!(start.to_rfc3339(), "2026-11-25T10:00:00+00:00");
        assert_eq!(slot_b, slot_a + 1);
    }
}
