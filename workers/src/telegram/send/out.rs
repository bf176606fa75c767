//! One outgoing message as Bot API calls through the courier: sent, edited, deleted or skipped, and remembered.

use base64::Engine;
use serde_json::{Value, json};
use sqlx::PgConnection;

use super::super::courier::{Courier, Delivered, Request};
use super::super::pace::Class;
use super::failure::{Failure, database};
use crate::ui::message::{Button, ButtonAction, Keyboard, Outgoing, Photo, Track};

/// Sending into one chat for one batch.
pub(super) struct Out<'a> {
    pub(super) courier: &'a Courier,
    pub(super) chat_id: i64,
    pub(super) class: Class,
}

impl Out<'_> {
    /// One call through the courier; the message it created or changed, 0 for `true`, and
    /// `None` for an edit that was not needed.
    pub(super) async fn call(
        &self,
        conn: &mut PgConnection,
        method: &str,
        params: &Value,
    ) -> Result<Option<i32>, Failure> {
        self.request(conn, Request::Json { method, params }).await
    }

    pub(super) async fn request(
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
    pub(super) async fn deliver(
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
    pub(super) async fn clear_tracked(
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

pub(super) fn message_id(result: Value) -> i32 {
    result["message_id"]
        .as_i64()
        .and_then(|id| i32::try_from(id).ok())
        .unwrap_or(0)
}

/// The chat's messages tracked as `track` and not cleared yet.
pub(super) async fn tracked(
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
