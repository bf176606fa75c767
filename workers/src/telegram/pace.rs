//! Telegram's limits, kept in PostgreSQL so every job on every replica keeps the same ones
//! (`telegram_pace`, `telegram_faces`; the rules are the SQL functions of
//! `migrations/0011_flood_control.sql`):
//!
//! * **pacing** before Telegram has to say 429: per private chat `private_per_second` with
//!   bursts of `private_burst`, per group or channel `group_per_minute`, and
//!   `bot_per_second` for the whole bot; a person waiting on the bot may use the whole
//!   bot-wide burst, staff alerts three quarters of it, broadcasts half, so a broadcast never
//!   delays a reply;
//! * **flood control**: after a 429 `retry_after` nothing goes to that chat (or, when several
//!   chats are flooded at once, to any chat) until it has passed;
//! * **faces**: what each sent message shows, so an edit that would change nothing is skipped.

use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::PgConnection;

/// The pacing settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub private_per_second: f64,
    pub private_burst: u32,
    pub group_per_minute: u32,
    pub bot_per_second: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            private_per_second: 1.0,
            private_burst: 3,
            group_per_minute: 20,
            bot_per_second: 30,
        }
    }
}

/// Who waits for a call: decides its share of the bot-wide budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A person talking to the bot.
    Reply,
    /// Staff alerts.
    Alert,
    Broadcast,
}

impl Class {
    /// The part of the bot-wide burst this class may use.
    fn share(self) -> f64 {
        match self {
            Class::Reply => 1.0,
            Class::Alert => 0.75,
            Class::Broadcast => 0.5,
        }
    }

    pub fn of_outbox(class: &str) -> Self {
        if class == "alert" {
            Class::Alert
        } else {
            Class::Reply
        }
    }
}

/// What a message shows: hashes of its text (or caption) and of its inline keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Face {
    /// None: the call leaves the text as it is (a keyboard edit).
    pub body: Option<i64>,
    pub markup: i64,
}

impl Face {
    pub fn new(body: Option<&str>, markup: &serde_json::Value) -> Self {
        Face {
            body: body.map(|text| hash(text.as_bytes())),
            markup: hash(markup_bytes(markup).as_bytes()),
        }
    }
}

/// An absent or empty inline keyboard shows the same: nothing.
fn markup_bytes(markup: &serde_json::Value) -> String {
    match markup.get("inline_keyboard") {
        Some(rows) if rows.as_array().is_some_and(|rows| !rows.is_empty()) => rows.to_string(),
        _ => String::new(),
    }
}

fn hash(bytes: &[u8]) -> i64 {
    let digest = Sha256::digest(bytes);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// The answer for one intended call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot {
    /// Taken: call now.
    Go,
    /// The edit would change nothing: do not call.
    Unchanged,
    /// Not before this long (nothing taken).
    Wait(Duration),
}

/// Ask for a slot for one call to `chat` (0: a call bound to no chat, which only waits out
/// the bot's flood control); `message` when the call puts a new message in the chat (only
/// those are paced per chat; edits and deletes share the bot-wide budget); `edited` with the
/// face an edit would give that message.
pub async fn slot(
    conn: &mut PgConnection,
    limits: &Limits,
    (chat, message): (i64, bool),
    class: Class,
    edited: Option<(i64, Face)>,
) -> Result<Slot, sqlx::Error> {
    let (chat_interval, chat_burst) = if !message {
        (0.0, 1.0)
    } else if chat < 0 {
        (60.0 / f64::from(limits.group_per_minute.max(1)), 1.0)
    } else {
        (
            1.0 / limits.private_per_second.max(0.001),
            f64::from(limits.private_burst.max(1)),
        )
    };
    let bot_per_second = f64::from(limits.bot_per_second.max(1));
    let row = sqlx::query!(
        r#"SELECT wait AS "wait!", unchanged AS "unchanged!"
           FROM telegram_slot($1, $2, $3, $4, $5, $6, $7, $8)"#,
        chat,
        chat_interval,
        chat_burst,
        1.0 / bot_per_second,
        (bot_per_second * class.share()).max(1.0),
        edited.map(|(message, _)| message),
        edited.and_then(|(_, face)| face.body),
        edited.map(|(_, face)| face.markup),
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(if row.unchanged {
        Slot::Unchanged
    } else if row.wait > 0.0 {
        Slot::Wait(Duration::from_secs_f64(row.wait.min(86_400.0)))
    } else {
        Slot::Go
    })
}

/// How long calls to `chat` are still held by flood control (the chat's or the bot's).
pub async fn held_for(
    executor: impl sqlx::PgExecutor<'_>,
    chat: i64,
) -> Result<Option<Duration>, sqlx::Error> {
    let seconds = sqlx::query_scalar!(
        r#"SELECT extract(epoch FROM max(blocked_until) - clock_timestamp())::float8 AS "left"
           FROM telegram_pace WHERE chat_id IN (0, $1) AND blocked_until > clock_timestamp()"#,
        chat
    )
    .fetch_one(executor)
    .await?;
    Ok(seconds
        .filter(|s| *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.min(86_400.0))))
}

/// Telegram said 429 `retry_after` for a call to `chat`: hold every call to it (or to every
/// chat, when the bot as a whole is flooded) until then. True when the whole bot is held.
pub async fn flooded(
    conn: &mut PgConnection,
    chat: i64,
    retry_after: Duration,
) -> Result<bool, sqlx::Error> {
    let bot_wide = sqlx::query_scalar!(
        r#"SELECT telegram_flooded($1, $2) AS "bot_wide!""#,
        chat,
        retry_after.as_secs_f64(),
    )
    .fetch_one(&mut *conn)
    .await?;
    crate::metrics::metrics()
        .telegram_floods
        .with_label_values(&[if bot_wide { "bot" } else { "chat" }])
        .inc();
    Ok(bot_wide)
}

/// Message `message_id` of `chat` now shows `face` (sent or edited).
pub async fn shown(
    conn: &mut PgConnection,
    chat: i64,
    message_id: i64,
    face: Face,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"INSERT INTO telegram_faces AS f (chat_id, message_id, body, markup)
           VALUES ($1, $2, coalesce($3::bigint, 0), $4)
           ON CONFLICT (chat_id, message_id) DO UPDATE
           SET body = coalesce($3::bigint, f.body), markup = $4, updated_at = now()"#,
        chat,
        message_id,
        face.body,
        face.markup,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn no_keyboard_and_an_empty_one_look_the_same() {
        let none = Face::new(Some("hi"), &serde_json::Value::Null);
        let empty = Face::new(Some("hi"), &json!({ "inline_keyboard": [] }));
        assert_eq!(none, empty);
        let one = Face::new(
            Some("hi"),
            &json!({ "inline_keyboard": [[{ "text": "a", "callback_data": "b" }]] }),
        );
        assert_ne!(none, one);
        assert_ne!(none, Face::new(Some("hi!"), &serde_json::Value::Null));
    }
}
