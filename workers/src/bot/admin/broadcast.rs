//! Broadcasts: a text, or a photo with a caption, to every reachable, unblocked customer.
//!
//! The admin sends the message, sees a preview with the recipient count and confirms. The
//! `broadcast.send` job then sends one message per recipient, paced by a slot allocator in
//! PostgreSQL (`send_pace`) so all replicas and broadcasts together stay under
//! `BROADCAST_RATE` messages per second, each call through the [`Courier`] (broadcasts get
//! the smallest share of the bot-wide budget and wait out flood control), and keeps a
//! progress message up to date (sent / failed / pending, with a stop button) through the
//! admin's outbox, so a 429 there delays it and loses nothing; it always ends "done" or
//! "stopped". A recipient is marked `sending` before its message
//! goes out and `sent` after: a crash in between leaves it `sending`, and the resumed job
//! marks it failed instead of sending it a second copy.

use std::time::{Duration, Instant};

use jobs::catalogue::BroadcastSend;
use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};

use super::callback::MenuPress;
use super::{Admin, Change, Input, ask, back, button, wait_for};
use crate::bot::conversation;
use crate::bot::{BotSettings, Reply};
use crate::shop::ids::BroadcastId;
use crate::shop::status::BroadcastStatus;
use crate::telegram::api::ApiError;
use crate::telegram::courier::{Refused, Request};
use crate::telegram::pace::Class;
use crate::telegram::{Courier, push_alert};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::message::Track;
use crate::ui::texts::{OpsText, SalesText as S, Texts};
use crate::ui::{Keyboard, Outgoing, Photo};
use crate::{JobContext, JobError, Registry};

/// What the bot waits for from an admin in a broadcast.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum BroadcastStep {
    BroadcastMessage,
}

callbacks! {
    /// An admin's press on broadcasts.
    pub enum BroadcastPress = "a:" {
        Broadcast = "b",
        StartBroadcast { id: BroadcastId } = "bg",
        BroadcastStatus { id: BroadcastId } = "bs",
        CancelBroadcast { id: BroadcastId } = "bx",
    }
}

impl Checked for BroadcastPress {}

/// How often the progress message is edited while sending.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

pub fn register(registry: &mut Registry, courier: Courier, rate: u32) {
    registry.register(move |job: BroadcastSend, ctx: JobContext| {
        let courier = courier.clone();
        async move { send(job, ctx, courier, rate).await }
    });
}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: BroadcastPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        BroadcastPress::Broadcast => {
            let question = t.get(S::BroadcastPrompt);
            return wait_for(
                tx,
                admin,
                BroadcastStep::BroadcastMessage,
                question,
                settings,
            )
            .await;
        }
        BroadcastPress::StartBroadcast { id } => {
            let started = sqlx::query_scalar!(
                r#"UPDATE broadcasts SET status = 'running', started_at = now(), progress_chat_id = $2
                   WHERE id = $1 AND status = 'draft' RETURNING id"#,
                id.get(),
                admin.chat.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if started.is_none() {
                return Ok(Reply::default().noticed(Some(t.get(S::AlreadyStarted).to_owned())));
            }
            let recipients = sqlx::query!(
                r#"INSERT INTO broadcast_recipients (broadcast_id, user_id)
                   SELECT $1, id FROM users WHERE NOT is_blocked AND unreachable_at IS NULL"#,
                id.get()
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            jobs::enqueue(&mut *tx, &BroadcastSend { broadcast_id: id }).await?;
            let change = Change::of("broadcast.start", "broadcast", id)
                .after(json!({ "recipients": recipients }));
            admin.audit(tx, change).await?;
            Reply::edit(crate::ui::screen::Screen {
                text: t.render(
                    S::Started,
                    &[("id", &id.to_string()), ("count", &recipients.to_string())],
                ),
                buttons: vec![back(t, MenuPress::Home)],
            })
        }
        BroadcastPress::BroadcastStatus { id } => {
            Reply::default().noticed(Some(progress(tx, t, id).await?.0))
        }
        BroadcastPress::CancelBroadcast { id } => {
            let cancelled = sqlx::query_scalar!(
                r#"UPDATE broadcasts SET status = 'cancelled', finished_at = now()
                   WHERE id = $1 AND status IN ('draft', 'running') RETURNING id"#,
                id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if cancelled.is_none() {
                return Ok(Reply::default().noticed(Some(t.get(S::Over).to_owned())));
            }
            sqlx::query!(
                "UPDATE broadcast_recipients SET status = 'cancelled', updated_at = now() WHERE broadcast_id = $1 AND status = 'pending'",
                id.get()
            )
            .execute(&mut *tx)
            .await?;
            let change = Change::of("broadcast.cancel", "broadcast", id);
            admin.audit(tx, change).await?;
            Reply::default().noticed(Some(t.get(S::Cancelled).to_owned()))
        }
    })
}

/// The admin's message becomes a draft: a preview, the recipient count, start or cancel.
pub(super) async fn draft(
    tx: &mut PgConnection,
    admin: &Admin,
    input: &Input<'_>,
    _settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let text = input.text.trim();
    if text.is_empty() && input.photo.is_none() {
        return Ok(vec![ask(t, t.get(S::NeedContent))]);
    }
    let limit = if input.photo.is_some() { 1024 } else { 4096 };
    if text.chars().count() > limit {
        let limit = limit.to_string();
        return Ok(vec![ask(t, t.render(S::TooLong, &[("limit", &limit)]))]);
    }
    if let Err(why) = crate::ui::html::check(text) {
        return Ok(vec![ask(
            t,
            t.render(S::BadHtml, &[("why", &escape(&why))]),
        )]);
    }
    let text = (!text.is_empty()).then(|| text.to_owned());
    let id = sqlx::query_scalar!(
        r#"INSERT INTO broadcasts (created_by, text, photo_file_id) VALUES ($1, $2, $3)
           RETURNING id AS "id: BroadcastId""#,
        admin.telegram_id.get(),
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
        Outgoing::text(t.get(S::Preview)),
        preview,
        Outgoing::text_with(
            t.render(S::ConfirmSend, &[("count", &recipients.to_string())]),
            Keyboard::Inline(vec![
                vec![button(
                    t.get(S::SendButton),
                    BroadcastPress::StartBroadcast { id },
                )],
                vec![button(
                    t.get(OpsText::CancelButton),
                    BroadcastPress::CancelBroadcast { id },
                )],
            ]),
        ),
    ])
}

/// The progress line and whether the broadcast is over.
async fn progress(
    tx: &mut PgConnection,
    t: &Texts,
    id: BroadcastId,
) -> Result<(String, bool), JobError> {
    let row = sqlx::query!(
        r#"SELECT b.status AS "status: BroadcastStatus",
                  count(r.user_id) FILTER (WHERE r.status = 'sent') AS "sent!",
                  count(r.user_id) FILTER (WHERE r.status IN ('failed', 'unreachable')) AS "failed!",
                  count(r.user_id) FILTER (WHERE r.status IN ('pending', 'sending')) AS "pending!"
           FROM broadcasts b LEFT JOIN broadcast_recipients r ON r.broadcast_id = b.id
           WHERE b.id = $1 GROUP BY b.id"#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok((t.get(S::BroadcastGone).to_owned(), true));
    };
    let (status, over) = match row.status {
        BroadcastStatus::Draft => (S::StatusDraft, false),
        BroadcastStatus::Running => (S::StatusRunning, false),
        BroadcastStatus::Done => (S::StatusDone, true),
        BroadcastStatus::Cancelled => (S::StatusStopped, true),
    };
    let line = t.render(
        S::Progress,
        &[
            ("id", &id.to_string()),
            ("status", t.get(status)),
            ("sent", &row.sent.to_string()),
            ("failed", &row.failed.to_string()),
            ("pending", &row.pending.to_string()),
        ],
    );
    Ok((line, over))
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

async fn send(
    job: BroadcastSend,
    ctx: JobContext,
    courier: Courier,
    rate: u32,
) -> Result<(), JobError> {
    let id = job.broadcast_id;
    let broadcast = sqlx::query!(
        "SELECT text, photo_file_id, progress_chat_id FROM broadcasts WHERE id = $1",
        id.get()
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
        id.get()
    )
    .execute(&ctx.pool)
    .await?
    .rows_affected();
    if interrupted > 0 {
        tracing::warn!(
            broadcast = id.get(),
            interrupted,
            "broadcast resumed after a crash"
        );
    }
    let progress_chat = broadcast.progress_chat_id;
    if let Some(chat) = progress_chat {
        let mut tx = ctx.pool.begin().await?;
        show_progress(&mut tx, chat, id, true).await?;
        tx.commit().await?;
    }
    let mut shown = Instant::now();
    loop {
        let status = sqlx::query_scalar!(
            r#"SELECT status AS "status: BroadcastStatus" FROM broadcasts WHERE id = $1"#,
            id.get()
        )
        .fetch_one(&ctx.pool)
        .await?;
        if status != BroadcastStatus::Running {
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
            id.get()
        )
        .fetch_optional(&ctx.pool)
        .await?;
        let Some(recipient) = next else {
            // Done and its last progress line commit together: the admin always sees "done".
            let mut tx = ctx.pool.begin().await?;
            sqlx::query!(
                "UPDATE broadcasts SET status = 'done', finished_at = now() WHERE id = $1 AND status = 'running'",
                id.get()
            )
            .execute(&mut *tx)
            .await?;
            if let Some(chat) = progress_chat {
                show_progress(&mut tx, chat, id, false).await?;
            }
            tx.commit().await?;
            return Ok(());
        };
        pace(&ctx.pool, rate).await?;
        let result = deliver(
            &ctx.pool,
            &courier,
            recipient.telegram_id,
            &broadcast.text,
            &broadcast.photo_file_id,
        )
        .await;
        let held = match &result {
            Err(Refused::Wait(delay)) => Some(*delay),
            Err(Refused::Api(ApiError::Refused {
                code: 429,
                retry_after,
                ..
            })) => Some(Duration::from_secs(retry_after.unwrap_or(1).max(1))),
            _ => None,
        };
        if let Some(delay) = held {
            // Nothing went out: back in line, after the hold.
            sqlx::query!(
                "UPDATE broadcast_recipients SET status = 'pending' WHERE broadcast_id = $1 AND user_id = $2",
                id.get(),
                recipient.user_id
            )
            .execute(&ctx.pool)
            .await?;
            tokio::time::sleep(delay).await;
            continue;
        }
        let (outcome, error) = match result {
            Ok(()) => ("sent", None),
            Err(Refused::Database(error)) => return Err(error.into()),
            Err(Refused::Api(error @ ApiError::Refused { code: 403, .. })) => {
                ("unreachable", Some(error))
            }
            Err(Refused::Api(error)) if error.says("chat not found") => {
                ("unreachable", Some(error))
            }
            Err(Refused::Api(error)) => ("failed", Some(error)),
            Err(Refused::Wait(_)) => ("failed", None),
        };
        let error = error.map(|e| e.to_string());
        sqlx::query!(
            "UPDATE broadcast_recipients SET status = $3, error = $4, updated_at = now() WHERE broadcast_id = $1 AND user_id = $2",
            id.get(),
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
            if let Some(chat) = progress_chat {
                let mut tx = ctx.pool.begin().await?;
                show_progress(&mut tx, chat, id, false).await?;
                tx.commit().await?;
            }
            shown = Instant::now();
        }
    }
    if let Some(chat) = progress_chat {
        let mut tx = ctx.pool.begin().await?;
        show_progress(&mut tx, chat, id, false).await?;
        tx.commit().await?;
    }
    Ok(())
}

async fn deliver(
    pool: &PgPool,
    courier: &Courier,
    chat: i64,
    text: &Option<String>,
    photo: &Option<String>,
) -> Result<(), Refused> {
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
    let mut conn = pool.acquire().await?;
    let request = Request::Json {
        method,
        params: &params,
    };
    courier
        .call(&mut conn, chat, Class::Broadcast, request)
        .await
        .map(|_| ())
}

/// Queue the progress message in the admin's chat: sent once when the broadcast starts
/// (`first`; a resumed job does not send another), then edited in place. The same text twice
/// is not sent again; a finished broadcast's message loses its buttons.
async fn show_progress(
    tx: &mut PgConnection,
    chat: i64,
    id: BroadcastId,
    first: bool,
) -> Result<(), JobError> {
    let track = Track::broadcast_progress(id.get());
    let t = Texts::of_user(tx, chat).await?;
    let (text, over) = progress(tx, &t, id).await?;
    let buttons = if over {
        Vec::new()
    } else {
        vec![vec![
            button(
                t.get(S::StatusButton),
                BroadcastPress::BroadcastStatus { id },
            ),
            button(t.get(S::StopButton), BroadcastPress::CancelBroadcast { id }),
        ]]
    };
    if first {
        let unsent = sqlx::query_scalar!(
            "UPDATE broadcasts SET progress_message_id = 0 WHERE id = $1 AND progress_message_id IS NULL RETURNING id",
            id.get()
        )
        .fetch_optional(&mut *tx)
        .await?;
        if unsent.is_none() {
            return Ok(());
        }
    }
    let message = Outgoing::tracked(first, track, text, Some(buttons));
    push_alert(tx, chat, vec![message]).await?;
    Ok(())
}
