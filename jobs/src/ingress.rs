//! What the ingress records: a Telegram update, or a payment notice from the gateway. Each is
//! stored once, with the job that handles it, in one transaction, before the sender gets its
//! answer. This is all the ingress knows of the shop.

use serde::Deserialize;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

use domain::{ChatId, PaymentEventId};

use crate::QueueError;
use crate::catalogue::{ConfirmPayment, TelegramUpdate};

/// Why an update could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("not a Telegram update: {0}")]
    Malformed(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// `payload` with every NUL character in its strings replaced by U+FFFD: PostgreSQL's JSONB
/// cannot hold `\u0000`, and an update that cannot be stored would come back forever.
fn without_nul(payload: Value) -> Value {
    match payload {
        Value::String(s) if s.contains('\0') => Value::String(s.replace('\0', "\u{fffd}")),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nul).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k.replace('\0', "\u{fffd}"), without_nul(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The chat an update belongs to, if any: its message's, its button's message's, or the chat
/// a membership, join request, reaction or boost is about. Updates of one chat are handled in
/// order, one at a time.
pub fn chat_of(payload: &Value) -> Option<ChatId> {
    let (kind, body) = payload
        .as_object()?
        .iter()
        .find(|(key, _)| key.as_str() != "update_id")?;
    let chat = match kind.as_str() {
        "callback_query" => body.get("message")?.get("chat")?,
        _ => body.get("chat")?,
    };
    chat.get("id")?.as_i64().map(ChatId)
}

/// Store an update and enqueue its handling. Returns false when this update was already
/// received (Telegram repeats webhooks; a poller may fetch twice after a crash).
pub async fn record_update(tx: &mut PgConnection, payload: &Value) -> Result<bool, InboxError> {
    let payload = &without_nul(payload.clone());
    let update_id = payload
        .get("update_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| InboxError::Malformed("it has no numeric update_id".to_owned()))?;
    let chat_id = chat_of(payload);
    let inserted = sqlx::query!(
        r#"INSERT INTO telegram_updates (update_id, chat_id, payload) VALUES ($1, $2, $3)
           ON CONFLICT (update_id) DO NOTHING"#,
        update_id,
        chat_id as Option<ChatId>,
        payload,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(false);
    }
    crate::enqueue(&mut *tx, &TelegramUpdate { update_id, chat_id }).await?;
    Ok(true)
}

/// A payment notice as Pakasir documents it: a claim, judged by `payment.confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PaymentNotice {
    pub amount: i64,
    pub order_id: String,
    pub project: String,
    pub status: String,
}

impl PaymentNotice {
    /// The notice in a request body, or why it is not one.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let notice: PaymentNotice = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        // PostgreSQL text cannot hold NUL; no real notice has one.
        if [&notice.order_id, &notice.project, &notice.status]
            .iter()
            .any(|s| s.contains('\0'))
        {
            return Err("a text field contains a NUL character".to_owned());
        }
        Ok(notice)
    }
}

/// A request to the payment webhook as it arrived, with the ingress's first look at it.
pub struct ReceivedNotice<'a> {
    pub remote: &'a str,
    pub headers: serde_json::Map<String, Value>,
    pub body: &'a [u8],
    /// The parsed notice, when the body is one.
    pub notice: Option<&'a PaymentNotice>,
    /// `received`, or why it was refused (`rejected`, `malformed`).
    pub verdict: &'a str,
    pub note: Option<&'a str>,
}

/// Store the raw request in `payment_events`, and for a received notice its `payment.confirm`
/// job (a repeat of a notice already queued is marked `duplicate`), in one transaction.
/// Returns the event's id.
pub async fn record_payment_notice(
    pool: &PgPool,
    received: ReceivedNotice<'_>,
) -> Result<PaymentEventId, QueueError> {
    let mut tx = pool.begin().await?;
    let notice = received.notice;
    let event_id = sqlx::query_scalar!(
        r#"INSERT INTO payment_events (remote_addr, headers, body, order_ref, status, amount, verdict, note)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id AS "id: PaymentEventId""#,
        received.remote,
        Value::Object(received.headers),
        received.body,
        notice.map(|n| n.order_id.as_str()),
        notice.map(|n| n.status.as_str()),
        notice.map(|n| n.amount),
        received.verdict,
        received.note,
    )
    .fetch_one(&mut *tx)
    .await?;
    if let (Some(notice), "received") = (notice, received.verdict) {
        let job = ConfirmPayment {
            event_id,
            order_ref: notice.order_id.clone(),
            status: notice.status.clone(),
            amount: notice.amount,
            project: notice.project.clone(),
        };
        if crate::enqueue(&mut *tx, &job).await?.is_none() {
            sqlx::query!(
                r#"UPDATE payment_events SET verdict = 'duplicate', handled_at = now(),
                       note = 'the same notice as an earlier one; that one is (being) judged'
                   WHERE id = $1"#,
                event_id as PaymentEventId
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(event_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nul_characters_never_reach_the_database() {
        let cleaned = without_nul(json!({"a\u{0}": ["x\u{0}y", {"b": "\u{0}"}], "n": 1}));
        assert_eq!(
            cleaned,
            json!({"a\u{fffd}": ["x\u{fffd}y", {"b": "\u{fffd}"}], "n": 1})
        );
    }

    #[test]
    fn an_update_belongs_to_the_chat_it_is_about() {
        let message = json!({"update_id": 1, "message": {"chat": {"id": 42}, "text": "hi"}});
        let press =
            json!({"update_id": 2, "callback_query": {"id": "q", "message": {"chat": {"id": 7}}}});
        let member = json!({"update_id": 3, "my_chat_member": {"chat": {"id": 9}}});
        let inline = json!({"update_id": 4, "inline_query": {"id": "i", "from": {"id": 5}}});
        let old_press =
            json!({"update_id": 5, "callback_query": {"id": "q", "inline_message_id": "x"}});
        assert_eq!(chat_of(&message), Some(ChatId(42)));
        assert_eq!(chat_of(&press), Some(ChatId(7)));
        assert_eq!(chat_of(&member), Some(ChatId(9)));
        assert_eq!(chat_of(&inline), None);
        assert_eq!(chat_of(&old_press), None);
    }

    #[test]
    fn a_notice_is_parsed_once_and_nul_is_refused() {
        let body = br#"{"amount":1000,"order_id":"INV1","project":"shop","status":"completed"}"#;
        let notice = PaymentNotice::parse(body).expect("a notice");
        assert_eq!(notice.order_id, "INV1");
        assert!(PaymentNotice::parse(br#"{"amount":"x"}"#).is_err());
        let nul = br#"{"amount":1,"order_id":"a\u0000","project":"p","status":"s"}"#;
        assert!(PaymentNotice::parse(nul).is_err());
    }
}
