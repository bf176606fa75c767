//! Updates from Telegram, as the ingress receives them (long polling or webhook): stored once
//! by `update_id` with a `telegram.update` job, in the caller's transaction.

use jobs::catalogue::TelegramUpdate;
use serde_json::Value;
use sqlx::PgConnection;

/// Why an update could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("not a Telegram update: {0}")]
    Malformed(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Queue(#[from] jobs::QueueError),
}

/// Read a stored update with teloxide's types. (Through text: teloxide's `Update` only
/// deserializes correctly from JSON text, not from a `serde_json::Value`.)
pub fn parse(payload: &Value) -> Result<teloxide::types::Update, serde_json::Error> {
    serde_json::from_str(&payload.to_string())
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

/// The chat an update belongs to, if any.
pub fn chat_of(payload: &Value) -> Option<i64> {
    parse(payload)
        .ok()
        .and_then(|update| update.chat().map(|chat| chat.id.0))
}

/// Store `payload` and enqueue its handling. Returns false when this update was already
/// received (Telegram repeats webhooks; a poller may fetch twice after a crash).
pub async fn record(tx: &mut PgConnection, payload: &Value) -> Result<bool, InboxError> {
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
        chat_id,
        payload,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(false);
    }
    jobs::enqueue(&mut *tx, &TelegramUpdate { update_id, chat_id }).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::without_nul;
    use serde_json::json;

    #[test]
    fn nul_characters_never_reach_the_database() {
        let update =
            json!({ "message": { "text": "a\u{0}b", "entities": ["\u{0}"] }, "k\u{0}": 1 });
        let clean = without_nul(update).to_string();
        assert!(!clean.contains("\\u0000"), "{clean}");
        assert!(clean.contains("a\u{fffd}b"), "{clean}");
    }
}
