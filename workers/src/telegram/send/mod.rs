//! `telegram.send` and `telegram.answer_callback`: talking to the Bot API.
//!
//! A send job takes its chat's lock (a session advisory lock on the one connection the job
//! uses; a connection dropped while holding it is closed, which releases it) and sends every
//! unfinished batch of the chat, oldest first, from each batch's persisted cursor: so a
//! chat's messages go out in order and a retry resumes after the last message that went out.
//! A job that finds the lock taken snoozes briefly: the holder sends its batch too. Every
//! call goes through the [`Courier`] (pacing, flood control, unchanged edits skipped). What
//! Telegram answers decides what happens:
//!
//! | answer | outcome |
//! |---|---|
//! | ok; "message is not modified"; "message to delete not found"/"can't be deleted" | done, next message |
//! | 429 `retry_after`, or the chat (or bot) still held by an earlier one, or paced | snooze until then (no attempt used) |
//! | network error, 5xx, other unknown errors | retry with backoff |
//! | 403 blocked/deactivated, "chat not found" | the chat's pending batches end `unreachable`, the customer is marked unreachable (orders whose goods were in them are remembered); the job is done: an expected state, not a failure |
//! | any other 400 (a bad message) | that batch ends `failed` with the error; later batches still go out |

mod failure;
mod out;

use std::time::Duration;

use jobs::catalogue::{TelegramAnswerCallback, TelegramSend};
use serde_json::json;
use sqlx::PgConnection;
use sqlx::pool::PoolConnection;

use super::courier::{Courier, Request};
use super::pace::Class;
use crate::ui::message::{Outgoing, Track};
use crate::{JobContext, JobError, Registry};
use failure::Failure;
use out::Out;

pub fn register(registry: &mut Registry, courier: Courier) {
    let sender = courier.clone();
    registry.register(move |job: TelegramSend, ctx: JobContext| send(job, ctx, sender.clone()));
    registry.register(move |job: TelegramAnswerCallback, ctx: JobContext| {
        answer_callback(job, ctx, courier.clone())
    });
}

/// The advisory lock key of a chat's outgoing messages.
fn outbox_lock(chat_id: i64) -> i64 {
    // A fixed tag in the high bits keeps these keys apart from other advisory locks.
    (0x6f75_7462_i64 << 32) ^ chat_id
}

/// How long a job whose chat is being sent to by another waits before it looks again.
const LOCK_BUSY: Duration = Duration::from_millis(300);

/// Batches read per round while draining a chat.
const ROUND: i64 = 20;

/// A chat's send lock, held on the connection that does all of the job's work.
struct ChatLock {
    conn: PoolConnection<sqlx::Postgres>,
    chat_id: i64,
    released: bool,
}

impl ChatLock {
    async fn try_take(pool: &sqlx::PgPool, chat_id: i64) -> Result<Option<Self>, sqlx::Error> {
        let mut conn = pool.acquire().await?;
        let taken = sqlx::query_scalar!(
            r#"SELECT pg_try_advisory_lock($1) AS "taken!""#,
            outbox_lock(chat_id)
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok(taken.then_some(ChatLock {
            conn,
            chat_id,
            released: false,
        }))
    }

    async fn release(mut self) -> Result<(), sqlx::Error> {
        sqlx::query_scalar!("SELECT pg_advisory_unlock($1)", outbox_lock(self.chat_id))
            .fetch_one(&mut *self.conn)
            .await?;
        self.released = true;
        Ok(())
    }
}

impl Drop for ChatLock {
    /// Left without [`ChatLock::release`] (an error, a panic): close the connection, which
    /// releases the lock, rather than hand a locked connection back to the pool.
    fn drop(&mut self) {
        if !self.released {
            self.conn.close_on_drop();
        }
    }
}

async fn send(job: TelegramSend, ctx: JobContext, courier: Courier) -> Result<(), JobError> {
    let Some(mut lock) = ChatLock::try_take(&ctx.pool, job.chat_id.get()).await? else {
        // Another job is sending to this chat; it sends this batch too, unless it finished
        // just before the batch was committed: look again shortly, or when the chat's flood
        // control lets calls go again.
        return match own_outcome(&ctx.pool, job.batch_id.get()).await? {
            Some(outcome) => outcome,
            None => {
                let held = super::pace::held_for(&ctx.pool, job.chat_id.get()).await?;
                Err(JobError::Snooze(held.unwrap_or(LOCK_BUSY).max(LOCK_BUSY)))
            }
        };
    };
    let drained = drain(&mut lock.conn, &courier, job.chat_id.get()).await;
    lock.release().await?;
    drained?;
    own_outcome(&ctx.pool, job.batch_id.get())
        .await?
        .unwrap_or(Err(JobError::Snooze(LOCK_BUSY)))
}

/// How the job's own batch ended: `None` while it is pending.
async fn own_outcome(
    pool: &sqlx::PgPool,
    batch_id: i64,
) -> Result<Option<Result<(), JobError>>, JobError> {
    let row = sqlx::query!(
        "SELECT status, error FROM telegram_outbox WHERE id = $1",
        batch_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        None => Some(Ok(())),
        Some(row) if row.status == "pending" => None,
        Some(row) if row.status == "failed" => Some(Err(JobError::Permanent(format!(
            "Telegram rejected a message of batch {batch_id}: {}",
            row.error.unwrap_or_default()
        )))),
        Some(_) => Some(Ok(())),
    })
}

/// Send the chat's pending batches, oldest first, until none is left.
async fn drain(conn: &mut PgConnection, courier: &Courier, chat_id: i64) -> Result<(), JobError> {
    loop {
        let batches = sqlx::query!(
            r#"SELECT id, messages, cursor, class FROM telegram_outbox
               WHERE chat_id = $1 AND status = 'pending' ORDER BY id LIMIT $2"#,
            chat_id,
            ROUND,
        )
        .fetch_all(&mut *conn)
        .await?;
        if batches.is_empty() {
            return Ok(());
        }
        let batches: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                let messages = serde_json::from_value::<Vec<Outgoing>>(batch.messages.clone());
                (batch, messages)
            })
            .collect();
        for (position, (batch, messages)) in batches.iter().enumerate() {
            let messages = match messages {
                Ok(messages) => messages,
                Err(error) => {
                    let error = format!("unreadable batch: {error}");
                    finish(conn, batch.id, "failed", Some(&error)).await?;
                    continue;
                }
            };
            let later = &batches[position + 1..];
            let start = usize::try_from(batch.cursor).unwrap_or(0);
            if start >= messages.len() {
                finish(conn, batch.id, "sent", None).await?;
                continue;
            }
            let class = Class::of_outbox(&batch.class);
            let last = messages.len() - 1;
            for (index, message) in messages.iter().enumerate().skip(start) {
                let out = Out {
                    courier,
                    chat_id,
                    class,
                };
                let superseded = message.edit_target().is_some_and(|target| {
                    later.iter().any(|(_, messages)| {
                        messages.as_ref().is_ok_and(|messages| {
                            messages.iter().any(|m| m.edit_target() == Some(target))
                        })
                    })
                });
                let outcome = if superseded {
                    Err(Failure::Done(
                        "a later edit of the same message replaces it".to_owned(),
                    ))
                } else {
                    out.deliver(conn, message).await
                };
                match outcome {
                    Ok(sent) => {
                        let step = Step {
                            batch: batch.id,
                            index,
                            sent,
                            last: index == last,
                        };
                        advance(conn, chat_id, step, message.track()).await?;
                    }
                    Err(Failure::Done(note)) => {
                        tracing::debug!(chat = chat_id, %note, "treated as done");
                        let step = Step {
                            batch: batch.id,
                            index,
                            sent: None,
                            last: index == last,
                        };
                        advance(conn, chat_id, step, None).await?;
                    }
                    Err(Failure::Later(delay)) => {
                        tracing::info!(
                            chat = chat_id,
                            ?delay,
                            "chat held (pacing or flood control); snoozing"
                        );
                        return Err(JobError::Snooze(delay));
                    }
                    Err(Failure::Transient(error)) => return Err(JobError::Retry(error)),
                    Err(Failure::Unreachable(error)) => {
                        unreachable(conn, chat_id, &error).await?;
                        return Ok(());
                    }
                    Err(Failure::Rejected(error)) => {
                        tracing::error!(chat = chat_id, batch = batch.id, index, %error, "Telegram rejected a message");
                        finish(conn, batch.id, "failed", Some(&error)).await?;
                        break;
                    }
                }
            }
        }
    }
}

/// Message `index` of `batch` went out (as message `sent`, when it created one).
struct Step {
    batch: i64,
    index: usize,
    sent: Option<i32>,
    /// The batch's last message: the batch is sent.
    last: bool,
}

/// Record a message that went out, with its tracking row when it is to be deleted or edited
/// later, in one statement.
async fn advance(
    conn: &mut PgConnection,
    chat_id: i64,
    step: Step,
    track: Option<&Track>,
) -> Result<(), JobError> {
    sqlx::query!(
        r#"
        WITH tracked AS (
            INSERT INTO tracked_messages (chat_id, message_id, purpose, order_id, deposit_id, broadcast_id, digest_id)
            SELECT $5, $3, $6, $7, $8, $9, $10 WHERE $3::bigint IS NOT NULL AND $6::text IS NOT NULL
            ON CONFLICT (chat_id, message_id) DO NOTHING
        )
        UPDATE telegram_outbox
        SET cursor = $2, sent_ids = sent_ids || $3::bigint,
            status = CASE WHEN $4 THEN 'sent' ELSE status END,
            finished_at = CASE WHEN $4 THEN now() ELSE finished_at END
        WHERE id = $1
        "#,
        step.batch,
        i32::try_from(step.index + 1).unwrap_or(i32::MAX),
        step.sent.map(i64::from),
        step.last,
        chat_id,
        track.map(|t| t.purpose.as_str()),
        track.and_then(|t| t.order_id),
        track.and_then(|t| t.deposit_id),
        track.and_then(|t| t.broadcast_id),
        track.and_then(|t| t.digest_id),
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn finish(
    conn: &mut PgConnection,
    batch: i64,
    status: &str,
    error: Option<&str>,
) -> Result<(), JobError> {
    sqlx::query!(
        "UPDATE telegram_outbox SET status = $2, error = $3, finished_at = now() WHERE id = $1",
        batch,
        status,
        error,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The customer blocked the bot (or their account is gone): an expected state. Their pending
/// batches end `unreachable`; orders whose goods were in them are marked, so the customer is
/// told where the goods are once they are back.
async fn unreachable(conn: &mut PgConnection, chat_id: i64, error: &str) -> Result<(), JobError> {
    let missed = sqlx::query!(
        r#"
        WITH dropped AS (
            UPDATE telegram_outbox SET status = 'unreachable', error = $2, finished_at = now()
            WHERE chat_id = $1 AND status = 'pending'
            RETURNING order_id
        ), missed AS (
            UPDATE orders SET goods_missed_at = coalesce(goods_missed_at, now())
            WHERE id IN (SELECT order_id FROM dropped WHERE order_id IS NOT NULL)
            RETURNING id
        ), marked AS (
            UPDATE users SET unreachable_at = now()
            WHERE telegram_id = $1 AND unreachable_at IS NULL
            RETURNING id
        )
        SELECT (SELECT count(*) FROM dropped) AS "dropped!", (SELECT count(*) FROM missed) AS "missed!"
        "#,
        chat_id,
        error,
    )
    .fetch_one(&mut *conn)
    .await?;
    tracing::info!(
        chat = chat_id,
        dropped = missed.dropped,
        orders_with_goods = missed.missed,
        %error,
        "customer unreachable (blocked the bot or gone): nothing more is sent until they are back"
    );
    Ok(())
}

/// A button press's answer waits out the bot's flood control only (it is bound to no chat).
async fn answer_callback(
    job: TelegramAnswerCallback,
    ctx: JobContext,
    courier: Courier,
) -> Result<(), JobError> {
    let mut params = json!({
        "callback_query_id": job.callback_query_id,
        "show_alert": job.show_alert,
    });
    if let Some(text) = job.text {
        params["text"] = json!(text);
    }
    let mut conn = ctx.pool.acquire().await?;
    let request = Request::Json {
        method: "answerCallbackQuery",
        params: &params,
    };
    let answer = courier.call(&mut conn, 0, Class::Reply, request).await;
    match answer.map_err(Failure::from) {
        Ok(_) => Ok(()),
        Err(Failure::Later(delay)) => Err(JobError::Snooze(delay)),
        Err(Failure::Transient(error)) => Err(JobError::Retry(error)),
        // An old or unknown query id: the button already stopped spinning.
        Err(Failure::Done(note) | Failure::Rejected(note) | Failure::Unreachable(note)) => {
            tracing::debug!(%note, "callback answer not needed any more");
            Ok(())
        }
    }
}
