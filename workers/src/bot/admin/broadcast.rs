//! Broadcasts: a text, or a photo with a caption, to every reachable, unblocked customer.
//!
//! The admin sends the message, sees a preview with the recipient count and confirms. The
//! `broadcast.send` job then sends one message per recipient, paced by a slot allocator in
//! PostgreSQL (`send_pace`) so all replicas and broadcasts together stay under
//! `BROADCAST_RATE` messages per second, and edits a progress message in place (sent /
//! failed / pending, with a cancel button). A recipient is marked `sending` before its message
//! goes out and `sent` after: a crash in between leaves it `sending`, and the resumed job
//! marks it failed instead of sending it a second copy.

use std::time::{Duration, Instant};

use jobs::catalogue::BroadcastSend;
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};

use super::callback::AdminCallback as A;
use super::{Admin, Input, Step, ask, audit, back, button, wait_for};
use crate::bot::conversation;
use crate::bot::{BotSettings, Reply};
use crate::telegram::api::ApiError;
use crate::telegram::html::escape;
use crate::telegram::{BotApi, Keyboard, Outgoing, Photo};
use crate::{JobContext, JobError, Registry};

/// How often the progress message is edited while sending.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

pub fn register(registry: &mut Registry, bot: BotApi, rate: u32) {
    registry.register(move |job: BroadcastSend, ctx: JobContext| {
        let bot = bot.clone();
        async move { send(job, ctx, bot, rate).await }
    });
}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: A,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        A::Broadcast => {
            return wait_for(
                tx,
                admin,
                Step::BroadcastMessage,
                "📣 Send the broadcast: a text, or a photo with a caption (HTML allowed: \
                 <code>&lt;b&gt;</code>, <code>&lt;i&gt;</code>, links). You see a preview before \
                 anything goes out.",
                settings,
            )
            .await;
        }
        A::StartBroadcast { id } => {
            let started = sqlx::query_scalar!(
                r#"UPDATE broadcasts SET status = 'running', started_at = now(), progress_chat_id = $2
                   WHERE id = $1 AND status = 'draft' RETURNING id"#,
                id,
                admin.chat
            )
            .fetch_optional(&mut *tx)
            .await?;
            if started.is_none() {
                return Ok(Reply::default().noticed(Some(
                    "That broadcast was already started or cancelled.".to_owned(),
                )));
            }
            let recipients = sqlx::query!(
                r#"INSERT INTO broadcast_recipients (broadcast_id, user_id)
                   SELECT $1, id FROM users WHERE NOT is_blocked AND unreachable_at IS NULL"#,
                id
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            jobs::enqueue(&mut *tx, &BroadcastSend { broadcast_id: id }).await?;
            audit(
                tx,
                &admin.actor(),
                "broadcast.start",
                ("broadcast", Some(id.to_string())),
                None,
                Some(json!({ "recipients": recipients })),
            )
            .await?;
            Reply::edit(crate::bot::screen::Screen {
                text: format!("📣 Broadcast #{id} started for {recipients} customer(s)."),
                buttons: vec![back(A::Home)],
            })
        }
        A::BroadcastStatus { id } => Reply::default().noticed(Some(progress(tx, id).await?.0)),
        A::CancelBroadcast { id } => {
            let cancelled = sqlx::query_scalar!(
                r#"UPDATE broadcasts SET status = 'cancelled', finished_at = now()
                   WHERE id = $1 AND status IN ('draft', 'running') RETURNING id"#,
                id
            )
            .fetch_optional(&mut *tx)
            .await?;
            if cancelled.is_none() {
                return Ok(Reply::default().noticed(Some("That broadcast is over.".to_owned())));
            }
            sqlx::query!(
                "UPDATE broadcast_recipients SET status = 'cancelled', updated_at = now() WHERE broadcast_id = $1 AND status = 'pending'",
                id
            )
            .execute(&mut *tx)
            .await?;
            audit(
                tx,
                &admin.actor(),
                "broadcast.cancel",
                ("broadcast", Some(id.to_string())),
                None,
                None,
            )
            .await?;
            Reply::default().noticed(Some(
                "Broadcast cancelled; nothing more is sent.".to_owned(),
            ))
        }
        _ => Reply::default(),
    })
}

/// The admin's message becomes a draft: a preview, the recipient count, start or cancel.
pub(super) async fn draft(
    tx: &mut PgConnection,
    admin: &Admin,
    input: &Input<'_>,
    _settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let text = input.text.trim();
    if text.is_empty() && input.photo.is_none() {
        return Ok(vec![ask("Send a text, or a photo with a caption.")]);
    }
    let limit = if input.photo.is_some() { 1024 } else { 4096 };
    if text.chars().count() > limit {
        return Ok(vec![ask(format!(
            "That is over Telegram's {limit} characters. Send a shorter one."
        ))]);
    }
    if let Err(why) = crate::telegram::html::check(text) {
        return Ok(vec![ask(format!(
            "Telegram would refuse that HTML: {}. Fix it and send it again.",
            escape(&why)
        ))]);
    }
    let text = (!text.is_empty()).then(|| text.to_owned());
    let id = sqlx::query_scalar!(
        "INSERT INTO broadcasts (created_by, text, photo_file_id) VALUES ($1, $2, $3) RETURNING id",
        admin.telegram_id,
        text,
        input.photo
    )
    .fetch_one(&mut *tx)
    .await?;
    let recipients = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM users WHERE NOT is_blocked AND unreachable_at IS NULL"#
    )
    .fetch_one(&mut *tx)
    .await?;
    conversation::clear(tx, admin.chat).await?;
    let preview = match input.photo {
        Some(file_id) => Outgoing::Photo {
            photo: Photo::FileId(file_id.to_owned()),
            caption: text.clone().unwrap_or_default(),
            keyboard: None,
            track: None,
        },
        None => Outgoing::text(text.clone().unwrap_or_default()),
    };
    Ok(vec![
        Outgoing::text("👀 Preview:"),
        preview,
        Outgoing::text_with(
            format!("Send this to <b>{recipients}</b> customer(s)?"),
            Keyboard::Inline(vec![
                vec![button("📣 Send", A::StartBroadcast { id })],
                vec![button("❌ Cancel", A::CancelBroadcast { id })],
            ]),
        ),
    ])
}

/// The progress line and whether the broadcast is over.
async fn progress(tx: &mut PgConnection, id: i64) -> Result<(String, bool), JobError> {
    let row = sqlx::query!(
        r#"SELECT b.status,
                  count(r.user_id) FILTER (WHERE r.status = 'sent') AS "sent!",
                  count(r.user_id) FILTER (WHERE r.status IN ('failed', 'unreachable')) AS "failed!",
                  count(r.user_id) FILTER (WHERE r.status IN ('pending', 'sending')) AS "pending!"
           FROM broadcasts b LEFT JOIN broadcast_recipients r ON r.broadcast_id = b.id
           WHERE b.id = $1 GROUP BY b.id"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(("That broadcast does not exist.".to_owned(), true));
    };
    let over = matches!(row.status.as_str(), "done" | "cancelled");
    Ok((
        format!(
            "📣 Broadcast #{id} — {}: sent {} · failed {} · pending {}",
            row.status, row.sent, row.failed, row.pending
        ),
        over,
    ))
}

/// Wait for this process's turn under the shared rate: slots `1/rate` apart, handed out by
/// one row in PostgreSQL, so replicas and concurrent broadcasts share the budget.
async fn pace(pool: &PgPool, rate: u32) -> Result<(), JobError> {
    let interval = 1.0 / f64::from(rate.max(1));
    let wait = sqlx::query_scalar!(
        r#"
        INSERT INTO send_pace (name, next_at) VALUES ('broadcast', clock_timestamp() + make_interval(secs => $1))
        ON CONFLICT (name) DO UPDATE
        SET next_at = greatest(send_pace.next_at, clock_timestamp()) + make_interval(secs => $1)
        RETURNING extract(epoch FROM next_at - make_interval(secs => $1) - clock_timestamp())::float8 AS "wait!"
        "#,
        interval
    )
    .fetch_one(pool)
    .await?;
    if wait > 0.0 {
        tokio::time::sleep(Duration::from_secs_f64(wait)).await;
    }
    Ok(())
}

async fn send(job: BroadcastSend, ctx: JobContext, bot: BotApi, rate: u32) -> Result<(), JobError> {
    let id = job.broadcast_id;
    let broadcast = sqlx::query!(
        "SELECT text, photo_file_id, progress_chat_id, progress_message_id FROM broadcasts WHERE id = $1",
        id
    )
    .fetch_optional(&ctx.pool)
    .await?;
    let Some(broadcast) = broadcast else {
        return Ok(());
    };
    // A recipient left `sending` by a crash may have got the message: never send it again.
    let interrupted = sqlx::query!(
        r#"UPDATE broadcast_recipients SET status = 'failed', updated_at = now(),
               error = 'interrupted while sending; not sent again to avoid a duplicate'
           WHERE broadcast_id = $1 AND status = 'sending'"#,
        id
    )
    .execute(&ctx.pool)
    .await?
    .rows_affected();
    if interrupted > 0 {
        tracing::warn!(
            broadcast = id,
            interrupted,
            "broadcast resumed after a crash"
        );
    }
    let progress_message = match (broadcast.progress_chat_id, broadcast.progress_message_id) {
        (Some(chat), None) => {
            let message_id = show_progress(&ctx, &bot, chat, id, None).await;
            if let Some(message_id) = message_id {
                sqlx::query!(
                    "UPDATE broadcasts SET progress_message_id = $2 WHERE id = $1",
                    id,
                    message_id
                )
                .execute(&ctx.pool)
                .await?;
            }
            message_id.map(|m| (chat, m))
        }
        (Some(chat), Some(message_id)) => Some((chat, message_id)),
        _ => None,
    };
    let mut shown = Instant::now();
    loop {
        let status = sqlx::query_scalar!("SELECT status FROM broadcasts WHERE id = $1", id)
            .fetch_one(&ctx.pool)
            .await?;
        if status != "running" {
            break;
        }
        let next = sqlx::query!(
            r#"UPDATE broadcast_recipients r SET status = 'sending', updated_at = now()
               FROM users u
               WHERE u.id = r.user_id AND (r.broadcast_id, r.user_id) = (
                   SELECT broadcast_id, user_id FROM broadcast_recipients
                   WHERE broadcast_id = $1 AND status = 'pending'
                   ORDER BY user_id LIMIT 1 FOR UPDATE SKIP LOCKED)
               RETURNING r.user_id, u.telegram_id"#,
            id
        )
        .fetch_optional(&ctx.pool)
        .await?;
        let Some(recipient) = next else {
            sqlx::query!(
                "UPDATE broadcasts SET status = 'done', finished_at = now() WHERE id = $1 AND status = 'running'",
                id
            )
            .execute(&ctx.pool)
            .await?;
            break;
        };
        pace(&ctx.pool, rate).await?;
        let result = deliver(
            &bot,
            recipient.telegram_id,
            &broadcast.text,
            &broadcast.photo_file_id,
        )
        .await;
        let (outcome, error) = match result {
            Ok(()) => ("sent", None),
            Err(ApiError::Refused {
                retry_after: Some(seconds),
                ..
            }) => {
                // Nothing went out: back in line, after Telegram's pause.
                sqlx::query!(
                    "UPDATE broadcast_recipients SET status = 'pending' WHERE broadcast_id = $1 AND user_id = $2",
                    id,
                    recipient.user_id
                )
                .execute(&ctx.pool)
                .await?;
                tokio::time::sleep(Duration::from_secs(seconds.max(1))).await;
                continue;
            }
            Err(error @ ApiError::Refused { code: 403, .. }) => ("unreachable", Some(error)),
            Err(error) if error.says("chat not found") => ("unreachable", Some(error)),
            Err(error) => ("failed", Some(error)),
        };
        let error = error.map(|e| e.to_string());
        sqlx::query!(
            "UPDATE broadcast_recipients SET status = $3, error = $4, updated_at = now() WHERE broadcast_id = $1 AND user_id = $2",
            id,
            recipient.user_id,
            outcome,
            error
        )
        .execute(&ctx.pool)
        .await?;
        if outcome == "unreachable" {
            sqlx::query!(
                "UPDATE users SET unreachable_at = now() WHERE id = $1 AND unreachable_at IS NULL",
                recipient.user_id
            )
            .execute(&ctx.pool)
            .await?;
        }
        if shown.elapsed() >= PROGRESS_EVERY {
            if let Some((chat, message_id)) = progress_message {
                show_progress(&ctx, &bot, chat, id, Some(message_id)).await;
            }
            shown = Instant::now();
        }
    }
    if let Some((chat, message_id)) = progress_message {
        show_progress(&ctx, &bot, chat, id, Some(message_id)).await;
    }
    Ok(())
}

async fn deliver(
    bot: &BotApi,
    chat: i64,
    text: &Option<String>,
    photo: &Option<String>,
) -> Result<(), ApiError> {
    let params: Value = match photo {
        Some(file_id) => json!({
            "chat_id": chat, "photo": file_id, "caption": text.clone().unwrap_or_default(),
            "parse_mode": "HTML",
        }),
        None => {
            json!({ "chat_id": chat, "text": text.clone().unwrap_or_default(), "parse_mode": "HTML" })
        }
    };
    let method = if photo.is_some() {
        "sendPhoto"
    } else {
        "sendMessage"
    };
    bot.call(method, &params).await.map(|_| ())
}

/// Send (or edit in place) the progress message; its id when one was sent. A failure here
/// is only logged: the broadcast matters, its progress display does not.
async fn show_progress(
    ctx: &JobContext,
    bot: &BotApi,
    chat: i64,
    id: i64,
    message_id: Option<i64>,
) -> Option<i64> {
    let mut conn = match ctx.pool.acquire().await {
        Ok(conn) => conn,
        Err(error) => {
            tracing::warn!(%error, "broadcast progress not shown");
            return None;
        }
    };
    let (text, over) = match progress(&mut conn, id).await {
        Ok(progress) => progress,
        Err(error) => {
            tracing::warn!(?error, "broadcast progress not read");
            return None;
        }
    };
    let keyboard = if over {
        json!({ "inline_keyboard": [] })
    } else {
        json!({ "inline_keyboard": [[
            { "text": "🔄 Status", "callback_data": A::BroadcastStatus { id }.encode() },
            { "text": "⛔️ Stop", "callback_data": A::CancelBroadcast { id }.encode() },
        ]] })
    };
    let text = escape(&text);
    let answer = match message_id {
        None => {
            bot.call(
                "sendMessage",
                &json!({ "chat_id": chat, "text": text, "reply_markup": keyboard }),
            )
            .await
        }
        Some(message_id) => {
            bot.call(
                "editMessageText",
                &json!({ "chat_id": chat, "message_id": message_id, "text": text, "reply_markup": keyboard }),
            )
            .await
        }
    };
    match answer {
        Ok(message) => message["message_id"].as_i64(),
        Err(error) if error.says("message is not modified") => message_id,
        Err(error) => {
            tracing::warn!(%error, broadcast = id, "broadcast progress not shown");
            message_id
        }
    }
}
