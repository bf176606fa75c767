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

use std::time::Duration;

use base64::Engine;
use jobs::catalogue::{TelegramAnswerCallback, TelegramSend};
use serde_json::{Value, json};
use sqlx::PgConnection;
use sqlx::pool::PoolConnection;

use super::api::ApiError;
use super::courier::{Courier, Delivered, Refused, Request};
use super::pace::Class;
use crate::ui::message::{Button, ButtonAction, Keyboard, Outgoing, Photo, Track};
use crate::{JobContext, JobError, Registry};

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

/// Why a message did not go out, by what should happen next.
enum Failure {
    /// Counts as sent ("not modified", "already deleted").
    Done(String),
    /// Pacing or flood control: try again after this long.
    Later(Duration),
    Transient(String),
    Unreachable(String),
    /// Telegram refused this message; others may go.
    Rejected(String),
}

impl From<Refused> for Failure {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Wait(delay) => Failure::Later(delay),
            Refused::Api(error) => classify(error),
            Refused::Database(error) => Failure::Transient(format!("database: {error}")),
        }
    }
}

fn classify(error: ApiError) -> Failure {
    let text = error.to_string();
    match error {
        ApiError::Network { .. } | ApiError::Server { .. } => Failure::Transient(text),
        ApiError::Refused {
            retry_after: Some(seconds),
            ..
        } => Failure::Later(Duration::from_secs(seconds.max(1))),
        ApiError::Refused { code: 429, .. } => Failure::Later(Duration::from_secs(1)),
        ref refused @ ApiError::Refused { code, .. } => {
            if DONE.iter().any(|phrase| refused.says(phrase)) {
                Failure::Done(text)
            } else if code == 403 || refused.says("chat not found") {
                Failure::Unreachable(text)
            } else if code == 400 {
                Failure::Rejected(text)
            } else {
                // 401 (token revoked), 404 (wrong API URL), 409 and the like: the operator's
                // to fix; keep trying with backoff meanwhile.
                Failure::Transient(text)
            }
        }
    }
}

/// Refusals that mean the wanted state is already there.
const DONE: [&str; 4] = [
    "message is not modified",
    "message to delete not found",
    "message can't be deleted",
    // An edit of a message deleted since (a stale button on a cleaned-up placeholder).
    "message to edit not found",
];

/// Sending into one chat for one batch.
struct Out<'a> {
    courier: &'a Courier,
    chat_id: i64,
    class: Class,
}

impl Out<'_> {
    /// One call through the courier; the message it created or changed, 0 for `true`, and
    /// `None` for an edit that was not needed.
    async fn call(
        &self,
        conn: &mut PgConnection,
        method: &str,
        params: &Value,
    ) -> Result<Option<i32>, Failure> {
        self.request(conn, Request::Json { method, params }).await
    }

    async fn request(
        &self,
        conn: &mut PgConnection,
        request: Request<'_>,
    ) -> Result<Option<i32>, Failure> {
        match self
            .courier
            .call(conn, self.chat_id, self.class, request)
            .await?
        {
            Delivered::Answer(result) => Ok(Some(message_id(result))),
            Delivered::Unchanged => Ok(None),
        }
    }

    /// Perform one outgoing action; the new message's id when one was created.
    async fn deliver(
        &self,
        conn: &mut PgConnection,
        message: &Outgoing,
    ) -> Result<Option<i32>, Failure> {
        let chat = json!(self.chat_id);
        let sent = match message {
            Outgoing::Text { text, keyboard } => {
                let mut params = json!({ "chat_id": chat, "text": text, "parse_mode": "HTML" });
                if let Some(keyboard) = keyboard {
                    params["reply_markup"] = reply_markup(keyboard);
                }
                self.call(conn, "sendMessage", &params).await?
            }
            Outgoing::Photo {
                photo,
                caption,
                keyboard,
                ..
            } => {
                let mut params =
                    json!({ "chat_id": chat, "caption": caption, "parse_mode": "HTML" });
                if let Some(keyboard) = keyboard {
                    params["reply_markup"] = reply_markup(keyboard);
                }
                match photo {
                    Photo::Png(base64) => {
                        let png = base64::engine::general_purpose::STANDARD
                            .decode(base64)
                            .map_err(|e| Failure::Rejected(format!("photo is not base64: {e}")))?;
                        let request = Request::Png {
                            png,
                            params: &params,
                        };
                        self.request(conn, request).await?
                    }
                    Photo::FileId(id) => {
                        params["photo"] = json!(id);
                        self.call(conn, "sendPhoto", &params).await?
                    }
                }
            }
            Outgoing::EditText {
                message_id,
                text,
                buttons,
            } => {
                let mut params = json!({
                    "chat_id": chat, "message_id": message_id, "text": text, "parse_mode": "HTML",
                });
                if let Some(buttons) = buttons {
                    params["reply_markup"] = inline(buttons);
                }
                self.call(conn, "editMessageText", &params).await?;
                None
            }
            Outgoing::EditCaption {
                message_id,
                caption,
                buttons,
            } => {
                let mut params = json!({
                    "chat_id": chat, "message_id": message_id, "caption": caption, "parse_mode": "HTML",
                });
                if let Some(buttons) = buttons {
                    params["reply_markup"] = inline(buttons);
                }
                self.call(conn, "editMessageCaption", &params).await?;
                None
            }
            Outgoing::EditButtons {
                message_id,
                buttons,
            } => {
                let params = json!({ "chat_id": chat, "message_id": message_id, "reply_markup": inline(buttons) });
                self.call(conn, "editMessageReplyMarkup", &params).await?;
                None
            }
            Outgoing::Delete { message_id } => {
                let params = json!({ "chat_id": chat, "message_id": message_id });
                self.call(conn, "deleteMessage", &params).await?;
                None
            }
            Outgoing::ClearTracked { track, fallback } => {
                self.clear_tracked(conn, track, fallback).await?;
                None
            }
            Outgoing::TrackedText { text, buttons, .. } => {
                let mut params = json!({ "chat_id": chat, "text": text, "parse_mode": "HTML" });
                if let Some(buttons) = buttons {
                    params["reply_markup"] = inline(buttons);
                }
                self.call(conn, "sendMessage", &params).await?
            }
            Outgoing::EditTracked {
                track,
                text,
                buttons,
            } => {
                for message_id in tracked(conn, self.chat_id, track).await? {
                    let mut params = json!({
                        "chat_id": chat, "message_id": message_id, "text": text, "parse_mode": "HTML",
                    });
                    if let Some(buttons) = buttons {
                        params["reply_markup"] = inline(buttons);
                    }
                    match self.call(conn, "editMessageText", &params).await {
                        Ok(_) | Err(Failure::Done(_)) => {}
                        Err(Failure::Rejected(note)) => {
                            tracing::info!(chat = self.chat_id, %note, "tracked message not editable; left as it is");
                        }
                        Err(other) => return Err(other),
                    }
                }
                None
            }
        };
        Ok(sent)
    }

    /// Delete (or, where Telegram refuses, re-caption) the chat's messages tracked as `track`.
    async fn clear_tracked(
        &self,
        conn: &mut PgConnection,
        track: &Track,
        fallback: &str,
    ) -> Result<(), Failure> {
        for id in tracked(conn, self.chat_id, track).await? {
            let params = json!({ "chat_id": self.chat_id, "message_id": id });
            match self.call(conn, "deleteMessage", &params).await {
                Ok(_) => {}
                Err(Failure::Done(note)) if note.contains("message can't be deleted") => {
                    let params = json!({
                        "chat_id": self.chat_id, "message_id": id, "caption": fallback, "parse_mode": "HTML",
                    });
                    match self.call(conn, "editMessageCaption", &params).await {
                        Ok(_) | Err(Failure::Done(_) | Failure::Rejected(_)) => {}
                        Err(other) => return Err(other),
                    }
                }
                Err(Failure::Done(_)) => {}
                Err(other) => return Err(other),
            }
            sqlx::query!(
                "UPDATE tracked_messages SET cleared_at = now() WHERE chat_id = $1 AND message_id = $2",
                self.chat_id,
                id
            )
            .execute(&mut *conn)
            .await
            .map_err(database)?;
        }
        Ok(())
    }
}

fn message_id(result: Value) -> i32 {
    result["message_id"]
        .as_i64()
        .and_then(|id| i32::try_from(id).ok())
        .unwrap_or(0)
}

fn database(error: sqlx::Error) -> Failure {
    Failure::Transient(format!("database: {error}"))
}

/// The chat's messages tracked as `track` and not cleared yet.
async fn tracked(
    conn: &mut PgConnection,
    chat_id: i64,
    track: &Track,
) -> Result<Vec<i64>, Failure> {
    sqlx::query_scalar!(
        r#"SELECT message_id FROM tracked_messages
           WHERE chat_id = $1 AND purpose = $2 AND cleared_at IS NULL
             AND order_id IS NOT DISTINCT FROM $3 AND deposit_id IS NOT DISTINCT FROM $4
             AND broadcast_id IS NOT DISTINCT FROM $5 AND digest_id IS NOT DISTINCT FROM $6"#,
        chat_id,
        track.purpose,
        track.order_id,
        track.deposit_id,
        track.broadcast_id,
        track.digest_id,
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(database)
}

pub(crate) fn reply_markup(keyboard: &Keyboard) -> Value {
    match keyboard {
        Keyboard::Inline(rows) => inline(rows),
        Keyboard::Reply(rows) => json!({
            "keyboard": rows.iter()
                .map(|row| row.iter().map(|text| json!({ "text": text })).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            "resize_keyboard": true,
        }),
        Keyboard::RemoveReply => json!({ "remove_keyboard": true }),
    }
}

pub(crate) fn inline(rows: &[Vec<Button>]) -> Value {
    let rows: Vec<Vec<Value>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|button| match &button.action {
                    ButtonAction::Callback(data) => {
                        json!({ "text": button.text, "callback_data": data })
                    }
                    ButtonAction::Url(url) => json!({ "text": button.text, "url": url }),
                })
                .collect()
        })
        .collect();
    json!({ "inline_keyboard": rows })
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
