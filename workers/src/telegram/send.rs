//! `telegram.send` and `telegram.answer_callback`: talking to the Bot API.
//!
//! A send job takes its chat's lock (a transaction-scoped advisory lock, released by any
//! ending, even a crash) and sends every unfinished batch of the chat up to its own, oldest
//! first, from each batch's persisted cursor: so a chat's messages go out in order and a retry
//! resumes after the last message that went out. What Telegram answers decides what happens:
//!
//! | answer | outcome |
//! |---|---|
//! | ok; "message is not modified"; "message to delete not found"/"can't be deleted" | done, next message |
//! | 429 `retry_after` | snooze for that long (no attempt used) |
//! | network error, 5xx, other unknown errors | retry with backoff |
//! | 403 blocked/deactivated, "chat not found" | the chat's pending batches end `unreachable`, the customer is marked unreachable, the job fails for good |
//! | any other 400 (a bad message) | that batch ends `failed` with the error; later batches still go out |

use std::time::Duration;

use base64::Engine;
use jobs::catalogue::{TelegramAnswerCallback, TelegramSend};
use serde_json::{Value, json};

use super::api::{ApiError, BotApi};
use super::outbox::{Button, ButtonAction, Keyboard, Outgoing, Photo, Track};
use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, bot: BotApi) {
    let sender = bot.clone();
    registry.register(move |job: TelegramSend, ctx: JobContext| send(job, ctx, sender.clone()));
    registry.register(move |job: TelegramAnswerCallback, ctx: JobContext| {
        answer_callback(job, ctx, bot.clone())
    });
}

/// The advisory lock key of a chat's outgoing messages.
fn outbox_lock(chat_id: i64) -> i64 {
    // A fixed tag in the high bits keeps these keys apart from other advisory locks.
    (0x6f75_7462_i64 << 32) ^ chat_id
}

async fn send(job: TelegramSend, ctx: JobContext, bot: BotApi) -> Result<(), JobError> {
    let mut lock = ctx.pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", outbox_lock(job.chat_id))
        .fetch_one(&mut *lock)
        .await?;
    let batches = sqlx::query!(
        r#"SELECT id, messages, cursor FROM telegram_outbox
           WHERE chat_id = $1 AND status = 'pending' AND id <= $2 ORDER BY id"#,
        job.chat_id,
        job.batch_id,
    )
    .fetch_all(&mut *lock)
    .await?;
    let mut own_failure = None;
    let own_seen = batches.iter().any(|batch| batch.id == job.batch_id);
    for batch in batches {
        let messages: Vec<Outgoing> = match serde_json::from_value(batch.messages) {
            Ok(messages) => messages,
            Err(error) => {
                let error = format!("unreadable batch: {error}");
                finish(&ctx, batch.id, "failed", Some(&error)).await?;
                if batch.id == job.batch_id {
                    own_failure = Some(error);
                }
                continue;
            }
        };
        let start = usize::try_from(batch.cursor).unwrap_or(0);
        if start >= messages.len() {
            finish(&ctx, batch.id, "sent", None).await?;
            continue;
        }
        let last = messages.len() - 1;
        for (index, message) in messages.iter().enumerate().skip(start) {
            match deliver(&bot, &ctx.pool, job.chat_id, message).await {
                Ok(sent) => {
                    let step = Step {
                        batch: batch.id,
                        index,
                        sent,
                        last: index == last,
                    };
                    advance(&ctx, job.chat_id, step, message.track()).await?;
                }
                Err(Failure::Done(note)) => {
                    tracing::debug!(chat = job.chat_id, %note, "treated as done");
                    let step = Step {
                        batch: batch.id,
                        index,
                        sent: None,
                        last: index == last,
                    };
                    advance(&ctx, job.chat_id, step, None).await?;
                }
                Err(Failure::Later(delay)) => {
                    tracing::info!(
                        chat = job.chat_id,
                        ?delay,
                        "Telegram flood control; snoozing"
                    );
                    return Err(JobError::Snooze(delay));
                }
                Err(Failure::Transient(error)) => return Err(JobError::Retry(error)),
                Err(Failure::Unreachable(error)) => {
                    unreachable(&ctx, job.chat_id, &error).await?;
                    return Err(JobError::Permanent(format!(
                        "chat {} is unreachable ({error}); its pending messages were dropped",
                        job.chat_id
                    )));
                }
                Err(Failure::Rejected(error)) => {
                    tracing::error!(chat = job.chat_id, batch = batch.id, index, %error, "Telegram rejected a message");
                    finish(&ctx, batch.id, "failed", Some(&error)).await?;
                    if batch.id == job.batch_id {
                        own_failure = Some(error);
                    }
                    break;
                }
            }
        }
    }
    lock.commit().await?;
    if !own_seen {
        // A later batch's job sent this one first; its outcome is in the row.
        own_failure = sqlx::query_scalar!(
            "SELECT error FROM telegram_outbox WHERE id = $1 AND status = 'failed'",
            job.batch_id
        )
        .fetch_optional(&ctx.pool)
        .await?
        .map(Option::unwrap_or_default);
    }
    match own_failure {
        Some(error) => Err(JobError::Permanent(format!(
            "Telegram rejected a message of batch {}: {error}",
            job.batch_id
        ))),
        None => Ok(()),
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
    ctx: &JobContext,
    chat_id: i64,
    step: Step,
    track: Option<&Track>,
) -> Result<(), JobError> {
    sqlx::query!(
        r#"
        WITH tracked AS (
            INSERT INTO tracked_messages (chat_id, message_id, purpose, order_id, deposit_id)
            SELECT $5, $3, $6, $7, $8 WHERE $3::bigint IS NOT NULL AND $6::text IS NOT NULL
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
    )
    .execute(&ctx.pool)
    .await?;
    Ok(())
}

async fn finish(
    ctx: &JobContext,
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
    .execute(&ctx.pool)
    .await?;
    Ok(())
}

async fn unreachable(ctx: &JobContext, chat_id: i64, error: &str) -> Result<(), JobError> {
    let mut tx = ctx.pool.begin().await?;
    sqlx::query!(
        r#"UPDATE telegram_outbox SET status = 'unreachable', error = $2, finished_at = now()
           WHERE chat_id = $1 AND status = 'pending'"#,
        chat_id,
        error,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE users SET unreachable_at = now() WHERE telegram_id = $1 AND unreachable_at IS NULL",
        chat_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::warn!(chat = chat_id, %error, "customer unreachable; nothing more is sent until they write again");
    Ok(())
}

/// Why a message did not go out, by what should happen next.
enum Failure {
    /// Counts as sent ("not modified", "already deleted").
    Done(String),
    /// Flood control: try again after this long.
    Later(Duration),
    Transient(String),
    Unreachable(String),
    /// Telegram refused this message; others may go.
    Rejected(String),
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
const DONE: [&str; 3] = [
    "message is not modified",
    "message to delete not found",
    "message can't be deleted",
];

/// Perform one outgoing action; the new message's id when one was created.
async fn deliver(
    bot: &BotApi,
    pool: &sqlx::PgPool,
    chat_id: i64,
    message: &Outgoing,
) -> Result<Option<i32>, Failure> {
    let chat = json!(chat_id);
    let sent = match message {
        Outgoing::Text { text, keyboard } => {
            let mut params = json!({ "chat_id": chat, "text": text, "parse_mode": "HTML" });
            if let Some(keyboard) = keyboard {
                params["reply_markup"] = reply_markup(keyboard);
            }
            Some(call(bot, "sendMessage", &params).await?)
        }
        Outgoing::Photo {
            photo,
            caption,
            keyboard,
            ..
        } => {
            let mut params = json!({ "chat_id": chat, "caption": caption, "parse_mode": "HTML" });
            if let Some(keyboard) = keyboard {
                params["reply_markup"] = reply_markup(keyboard);
            }
            let answer = match photo {
                Photo::Png(base64) => {
                    let png = base64::engine::general_purpose::STANDARD
                        .decode(base64)
                        .map_err(|e| Failure::Rejected(format!("photo is not base64: {e}")))?;
                    bot.send_photo_png(png, &params).await
                }
                Photo::FileId(id) => {
                    params["photo"] = json!(id);
                    bot.call("sendPhoto", &params).await
                }
            };
            Some(message_id(answer.map_err(classify)?))
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
            call(bot, "editMessageText", &params).await?;
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
            call(bot, "editMessageCaption", &params).await?;
            None
        }
        Outgoing::EditButtons {
            message_id,
            buttons,
        } => {
            let params = json!({ "chat_id": chat, "message_id": message_id, "reply_markup": inline(buttons) });
            call(bot, "editMessageReplyMarkup", &params).await?;
            None
        }
        Outgoing::Delete { message_id } => {
            let params = json!({ "chat_id": chat, "message_id": message_id });
            call(bot, "deleteMessage", &params).await?;
            None
        }
        Outgoing::ClearTracked { track, fallback } => {
            clear_tracked(bot, pool, chat_id, track, fallback).await?;
            None
        }
        Outgoing::TrackedText { text, .. } => {
            let params = json!({ "chat_id": chat, "text": text, "parse_mode": "HTML" });
            Some(call(bot, "sendMessage", &params).await?)
        }
        Outgoing::EditTracked { track, text } => {
            for message_id in tracked(pool, chat_id, track).await? {
                let params = json!({
                    "chat_id": chat, "message_id": message_id, "text": text, "parse_mode": "HTML",
                });
                match call(bot, "editMessageText", &params).await {
                    Ok(_) | Err(Failure::Done(_)) => {}
                    Err(Failure::Rejected(note)) => {
                        tracing::info!(chat = chat_id, %note, "tracked message not editable; left as it is");
                    }
                    Err(other) => return Err(other),
                }
            }
            None
        }
    };
    Ok(sent)
}

/// A call whose result is a message (or `true`): the message's id, 0 for `true`.
async fn call(bot: &BotApi, method: &str, params: &Value) -> Result<i32, Failure> {
    bot.call(method, params)
        .await
        .map(message_id)
        .map_err(classify)
}

fn message_id(result: Value) -> i32 {
    result["message_id"]
        .as_i64()
        .and_then(|id| i32::try_from(id).ok())
        .unwrap_or(0)
}

/// Delete (or, where Telegram refuses, re-caption) the chat's messages tracked for an order.
async fn clear_tracked(
    bot: &BotApi,
    pool: &sqlx::PgPool,
    chat_id: i64,
    track: &Track,
    fallback: &str,
) -> Result<(), Failure> {
    for id in tracked(pool, chat_id, track).await? {
        let params = json!({ "chat_id": chat_id, "message_id": id });
        match bot.call("deleteMessage", &params).await {
            Ok(_) => {}
            Err(error) if error.says("message to delete not found") => {}
            Err(error) if error.says("message can't be deleted") => {
                let params = json!({
                    "chat_id": chat_id, "message_id": id, "caption": fallback, "parse_mode": "HTML",
                });
                match call(bot, "editMessageCaption", &params).await {
                    Ok(_) | Err(Failure::Done(_) | Failure::Rejected(_)) => {}
                    Err(other) => return Err(other),
                }
            }
            Err(error) => return Err(classify(error)),
        }
        sqlx::query!(
            "UPDATE tracked_messages SET cleared_at = now() WHERE chat_id = $1 AND message_id = $2",
            chat_id,
            id
        )
        .execute(pool)
        .await
        .map_err(database)?;
    }
    Ok(())
}

fn database(error: sqlx::Error) -> Failure {
    Failure::Transient(format!("database: {error}"))
}

/// The chat's messages tracked as `track` and not cleared yet.
async fn tracked(pool: &sqlx::PgPool, chat_id: i64, track: &Track) -> Result<Vec<i64>, Failure> {
    sqlx::query_scalar!(
        r#"SELECT message_id FROM tracked_messages
           WHERE chat_id = $1 AND purpose = $2 AND cleared_at IS NULL
             AND order_id IS NOT DISTINCT FROM $3 AND deposit_id IS NOT DISTINCT FROM $4"#,
        chat_id,
        track.purpose,
        track.order_id,
        track.deposit_id,
    )
    .fetch_all(pool)
    .await
    .map_err(database)
}

fn reply_markup(keyboard: &Keyboard) -> Value {
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

fn inline(rows: &[Vec<Button>]) -> Value {
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

async fn answer_callback(
    job: TelegramAnswerCallback,
    _ctx: JobContext,
    bot: BotApi,
) -> Result<(), JobError> {
    let mut params = json!({
        "callback_query_id": job.callback_query_id,
        "show_alert": job.show_alert,
    });
    if let Some(text) = job.text {
        params["text"] = json!(text);
    }
    match bot
        .call("answerCallbackQuery", &params)
        .await
        .map_err(classify)
    {
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
