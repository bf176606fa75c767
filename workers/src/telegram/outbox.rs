//! What the bot says: ordered batches of messages (see [`crate::ui::message`]), written in
//! the caller's transaction and sent by `telegram.send` jobs (see [`super::send`]).

use jobs::catalogue::TelegramSend;
use sqlx::PgConnection;

use crate::shop::ids::{BatchId, ChatId};
use crate::ui::message::{Outgoing, Track, fit};

/// Remember message `message_id` of `chat_id`, already in the chat (a message being edited
/// into something to clean up later), as `track`; a message tracked already keeps its track.
pub async fn track_existing(
    tx: &mut PgConnection,
    chat_id: i64,
    message_id: i32,
    track: &Track,
) -> Result<(), crate::JobError> {
    sqlx::query!(
        r#"INSERT INTO tracked_messages (chat_id, message_id, purpose, order_id, deposit_id, broadcast_id, digest_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (chat_id, message_id) DO NOTHING"#,
        chat_id,
        i64::from(message_id),
        track.purpose,
        track.order_id,
        track.deposit_id,
        track.broadcast_id,
        track.digest_id,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Whether the chat has an uncleared message tracked as `track`.
pub async fn is_tracked(
    tx: &mut PgConnection,
    chat_id: i64,
    track: &Track,
) -> Result<bool, crate::JobError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM tracked_messages
           WHERE chat_id = $1 AND purpose = $2 AND cleared_at IS NULL
             AND order_id IS NOT DISTINCT FROM $3 AND deposit_id IS NOT DISTINCT FROM $4) AS "exists!""#,
        chat_id,
        track.purpose,
        track.order_id,
        track.deposit_id,
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// What a batch is for: who waits for it (see [`super::pace::Class`]) and the order whose
/// goods it carries, if any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Batch {
    pub alert: bool,
    pub goods_of: Option<i64>,
}

/// Queue `messages` for `chat_id` inside the caller's transaction: they go out in this order,
/// after everything queued for the chat before. A reply to a person; returns the batch id.
pub async fn push(
    tx: &mut PgConnection,
    chat_id: i64,
    messages: Vec<Outgoing>,
) -> Result<i64, crate::JobError> {
    push_batch(tx, chat_id, messages, Batch::default()).await
}

/// [`push`] for a staff alert: paced behind replies to people.
pub async fn push_alert(
    tx: &mut PgConnection,
    chat_id: i64,
    messages: Vec<Outgoing>,
) -> Result<i64, crate::JobError> {
    let batch = Batch {
        alert: true,
        goods_of: None,
    };
    push_batch(tx, chat_id, messages, batch).await
}

/// Alert each of `staff` with `text` filled with `values`, each in their own language.
pub async fn alert_staff_with(
    tx: &mut PgConnection,
    staff: &[i64],
    text: impl crate::ui::texts::Template,
    values: &[(&str, &str)],
) -> Result<(), crate::JobError> {
    use crate::ui::texts::{Locale, Texts};
    if staff.is_empty() {
        return Ok(());
    }
    let texts = Texts::load(tx, Locale::Id).await?;
    for (chat, locale) in Texts::locales_of(tx, staff).await? {
        let message = Outgoing::text(texts.render_in(text, locale, values));
        push_alert(tx, chat, vec![message]).await?;
    }
    Ok(())
}

/// [`push`] with what the batch is for.
pub async fn push_batch(
    tx: &mut PgConnection,
    chat_id: i64,
    messages: Vec<Outgoing>,
    batch: Batch,
) -> Result<i64, crate::JobError> {
    let messages = serde_json::to_value(fit(messages))
        .map_err(|e| crate::JobError::permanent(format!("cannot store outgoing messages: {e}")))?;
    let batch_id = sqlx::query_scalar!(
        "INSERT INTO telegram_outbox (chat_id, messages, class, order_id) VALUES ($1, $2, $3, $4) RETURNING id",
        chat_id,
        messages,
        if batch.alert { "alert" } else { "reply" },
        batch.goods_of,
    )
    .fetch_one(&mut *tx)
    .await?;
    jobs::enqueue(
        &mut *tx,
        &TelegramSend {
            batch_id: BatchId(batch_id),
            chat_id: ChatId(chat_id),
        },
    )
    .await?;
    Ok(batch_id)
}
