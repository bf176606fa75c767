//! `audit.write`: the audit trail, in the database and in daily JSON-lines files.
//!
//! The row is keyed by the job's id, so a job that runs again writes no second row. The file
//! line is appended after the row commits and marked written; only a crash between the append
//! and the mark can repeat a line.

use std::path::{Path, PathBuf};

use jobs::catalogue::AuditWrite;
use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, dir: PathBuf) {
    registry.register(move |entry: AuditWrite, ctx: JobContext| write(entry, ctx, dir.clone()));
}

async fn write(entry: AuditWrite, ctx: JobContext, dir: PathBuf) -> Result<(), JobError> {
    sqlx::query!(
        r#"
        INSERT INTO audit_log (at, actor, action, entity_type, entity_id, before, after, job_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (job_id) DO NOTHING
        "#,
        entry.at,
        entry.actor,
        entry.action,
        entry.entity_type,
        entry.entity_id,
        entry.before,
        entry.after,
        ctx.id,
    )
    .execute(&ctx.pool)
    .await?;
    let row = sqlx::query!(
        "SELECT id, file_written_at FROM audit_log WHERE job_id = $1",
        ctx.id
    )
    .fetch_one(&ctx.pool)
    .await?;
    if row.file_written_at.is_some() {
        return Ok(());
    }
    let line = json!({
        "id": row.id,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
    });
    let file = dir.join(format!("{}.log", entry.at.format("%Y-%m-%d")));
    append_line(&file, &line.to_string())
        .await
        .map_err(|e| JobError::retry(format!("cannot append to {}: {e}", file.display())))?;
    sqlx::query!(
        "UPDATE audit_log SET file_written_at = now() WHERE id = $1",
        row.id
    )
    .execute(&ctx.pool)
    .await?;
    Ok(())
}

/// Append one line with a single write (O_APPEND keeps lines from several processes whole).
async fn append_line(file: &Path, line: &str) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let mut handle = tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .await?;
    handle.write_all(format!("{line}\n").as_bytes()).await?;
    handle.flush().await
}
