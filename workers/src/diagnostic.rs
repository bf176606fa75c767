//! `diagnostic.probe`: a job that does what its payload says (see
//! [`jobs::catalogue::Probe`]), so the queue's behaviour can be watched end to end.

use std::time::Duration;

use jobs::catalogue::{Probe, ProbeMode, ProbeScript};

use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry) {
    registry.register(run);
}

async fn run(probe: Probe, ctx: JobContext) -> Result<(), JobError> {
    match probe.mode {
        ProbeMode::Noop => Ok(()),
        ProbeMode::WriteRow => {
            let mut tx = ctx.pool.begin().await?;
            sqlx::query!(
                r#"INSERT INTO probe_runs (job_id, label, attempt, worker, completed_at)
                   VALUES ($1, $2, $3, $4, clock_timestamp())"#,
                ctx.id,
                probe.label,
                i32::try_from(ctx.attempt).unwrap_or(i32::MAX),
                ctx.worker,
            )
            .execute(&mut *tx)
            .await?;
            ctx.commit(tx).await?;
            Ok(())
        }
        ProbeMode::Script(script) => run_script(&probe.label, script, &ctx).await,
        ProbeMode::BreakRule => {
            let id = sqlx::query_scalar!(
                r#"INSERT INTO probe_runs (job_id, label, attempt, worker)
                   VALUES ($1, $2, $3, $4) RETURNING id"#,
                ctx.id,
                probe.label,
                i32::try_from(ctx.attempt).unwrap_or(i32::MAX),
                ctx.worker,
            )
            .fetch_one(&ctx.pool)
            .await?;
            sqlx::query!(
                r#"INSERT INTO probe_runs (id, job_id, label, attempt, worker)
                   VALUES ($1, $2, $3, 0, 'duplicate')"#,
                id,
                ctx.id,
                probe.label,
            )
            .execute(&ctx.pool)
            .await?;
            Ok(())
        }
    }
}

async fn run_script(label: &str, script: ProbeScript, ctx: &JobContext) -> Result<(), JobError> {
    let run = sqlx::query!(
        r#"
        INSERT INTO probe_runs (job_id, label, attempt, worker)
        VALUES ($1, $2, $3, $4)
        RETURNING id, (SELECT count(*) FROM probe_runs WHERE job_id = $1) AS "earlier!"
        "#,
        ctx.id,
        label,
        i32::try_from(ctx.attempt).unwrap_or(i32::MAX),
        ctx.worker,
    )
    .fetch_one(&ctx.pool)
    .await?;
    let earlier = u32::try_from(run.earlier).unwrap_or(u32::MAX);
    if earlier < script.snoozes {
        return Err(JobError::Snooze(Duration::from_millis(script.snooze_ms)));
    }
    if earlier < script.snoozes + script.failures {
        return Err(JobError::retry(format!(
            "probe failure {} of {}",
            earlier - script.snoozes + 1,
            script.failures
        )));
    }
    if earlier < script.snoozes + script.failures + script.panics {
        panic!("probe panic as requested");
    }
    if script.permanent {
        return Err(JobError::permanent("probe fails for good as requested"));
    }
    tokio::time::sleep(Duration::from_millis(script.sleep_ms)).await;
    let mut tx = ctx.pool.begin().await?;
    sqlx::query!(
        "UPDATE probe_runs SET completed_at = clock_timestamp() WHERE id = $1",
        run.id
    )
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(())
}
