//! `telegram.update`: run updates through the conversation engine, one chat at a time, in
//! order.
//!
//! The job of update N takes its chat's lock (transaction-scoped) and handles the chat's
//! oldest unhandled update up to N, one per transaction, until N itself is handled. Whichever
//! worker gets which job first, a chat's updates are handled in `update_id` order, each once:
//! a job that finds its update already handled (by a later update's job) has nothing to do.

use std::sync::Arc;

use jobs::catalogue::TelegramUpdate;

use crate::bot::{self, BotSettings};
use crate::shop::ids::ChatId;
use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, settings: BotSettings) {
    let settings = Arc::new(settings);
    registry
        .register(move |job: TelegramUpdate, ctx: JobContext| handle(job, ctx, settings.clone()));
}

/// The advisory lock key of a chat's incoming updates.
fn inbox_lock(chat_id: i64) -> i64 {
    (0x696e_626f_i64 << 32) ^ chat_id
}

async fn handle(
    job: TelegramUpdate,
    ctx: JobContext,
    settings: Arc<BotSettings>,
) -> Result<(), JobError> {
    loop {
        let mut tx = ctx.pool.begin().await?;
        if let Some(chat) = job.chat_id {
            sqlx::query!("SELECT pg_advisory_xact_lock($1)", inbox_lock(chat.get()))
                .fetch_one(&mut *tx)
                .await?;
        }
        let next = sqlx::query!(
            r#"
            SELECT update_id, payload FROM telegram_updates
            WHERE handled_at IS NULL AND update_id = (
                SELECT min(update_id) FROM (
                    SELECT update_id FROM telegram_updates
                    WHERE update_id = $1 AND handled_at IS NULL
                    UNION ALL
                    SELECT update_id FROM telegram_updates
                    WHERE chat_id = $2 AND update_id < $1 AND handled_at IS NULL
                ) candidates
            )
            FOR UPDATE
            "#,
            job.update_id,
            job.chat_id.map(ChatId::get),
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(next) = next else {
            // Handled already, by the job of a later update of the chat.
            ctx.commit(tx).await?;
            return Ok(());
        };
        let outcome = match crate::telegram::inbox::parse(&next.payload) {
            Ok(update) => bot::handle(&mut tx, &update, &settings).await,
            Err(error) => {
                tracing::warn!(update = next.update_id, %error, "update not understood; skipped");
                Ok(())
            }
        };
        match outcome {
            Ok(()) => {
                sqlx::query!(
                    "UPDATE telegram_updates SET handled_at = clock_timestamp() WHERE update_id = $1",
                    next.update_id
                )
                .execute(&mut *tx)
                .await?;
                if next.update_id == job.update_id {
                    // The update's effects, its replies and the job's completion: one commit.
                    ctx.commit(tx).await?;
                    return Ok(());
                }
                tx.commit().await?;
            }
            Err(error) => {
                drop(tx);
                let own = next.update_id == job.update_id;
                if own && (ctx.is_last_attempt() || matches!(error, JobError::Permanent(_))) {
                    // Give up on this update so the chat's later updates are not held back.
                    sqlx::query!(
                        "UPDATE telegram_updates SET handled_at = now(), error = $2 WHERE update_id = $1",
                        next.update_id,
                        error.to_string(),
                    )
                    .execute(&ctx.pool)
                    .await?;
                    return Err(JobError::Permanent(error.to_string()));
                }
                return Err(error);
            }
        }
    }
}
