//! What the bot says, as data: messages, edits, buttons and keyboards, and what a sent
//! message is remembered as. Queued by [`crate::telegram::outbox`], sent by
//! [`crate::telegram::send`].

use serde::{Deserialize, Serialize};

use super::html::{CAPTION_LIMIT, TEXT_LIMIT, split};

/// One thing to do in a chat. Texts and captions are Telegram HTML: escape user data with
/// [`super::html::escape`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Outgoing {
    Text {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keyboard: Option<Keyboard>,
    },
    Photo {
        photo: Photo,
        caption: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keyboard: Option<Keyboard>,
        /// Remember the sent photo in `tracked_messages` (to delete or edit it later).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        track: Option<Track>,
    },
    EditText {
        message_id: i32,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        buttons: Option<Vec<Vec<Button>>>,
    },
    EditCaption {
        message_id: i32,
        caption: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        buttons: Option<Vec<Vec<Button>>>,
    },
    EditButtons {
        message_id: i32,
        buttons: Vec<Vec<Button>>,
    },
    Delete {
        message_id: i32,
    },
    /// Delete the chat's messages tracked as `track`; where Telegram refuses (a message over
    /// 48 hours old), edit its caption to `fallback`. Looked up when sending, so a tracked
    /// message queued earlier in the chat is found.
    ClearTracked {
        track: Track,
        fallback: String,
    },
    /// A short text remembered as `track` once sent (an admin's order alert).
    TrackedText {
        text: String,
        track: Track,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        buttons: Option<Vec<Vec<Button>>>,
    },
    /// Replace the text (and buttons) of the chat's messages tracked as `track` (the alert's
    /// later news); an edit that would change nothing is not sent.
    EditTracked {
        track: Track,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        buttons: Option<Vec<Vec<Button>>>,
    },
}

/// What a sent message is remembered as in `tracked_messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    pub purpose: String,
    #[serde(default)]
    pub order_id: Option<i64>,
    #[serde(default)]
    pub deposit_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broadcast_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_id: Option<i64>,
}

impl Track {
    fn new(purpose: &str) -> Self {
        Track {
            purpose: purpose.to_owned(),
            order_id: None,
            deposit_id: None,
            broadcast_id: None,
            digest_id: None,
        }
    }

    /// The staff alert about an order.
    pub fn order_alert(order_id: i64) -> Self {
        Track {
            order_id: Some(order_id),
            ..Track::new("admin_order_alert")
        }
    }

    /// The QR photo of an order's invoice.
    pub fn invoice(order_id: i64) -> Self {
        Track {
            order_id: Some(order_id),
            ..Track::new("invoice")
        }
    }

    /// The "invoice on its way" message shown until an order's invoice arrives.
    pub fn invoice_placeholder(order_id: i64) -> Self {
        Track {
            order_id: Some(order_id),
            ..Track::new("invoice_placeholder")
        }
    }

    /// The "invoice on its way" message shown until a deposit's invoice arrives.
    pub fn deposit_placeholder(deposit_id: i64) -> Self {
        Track {
            deposit_id: Some(deposit_id),
            ..Track::new("invoice_placeholder")
        }
    }

    /// The QR photo of a deposit's invoice.
    pub fn deposit(deposit_id: i64) -> Self {
        Track {
            deposit_id: Some(deposit_id),
            ..Track::new("deposit_invoice")
        }
    }

    /// A broadcast's progress message in the chat of the admin who started it.
    pub fn broadcast_progress(broadcast_id: i64) -> Self {
        Track {
            broadcast_id: Some(broadcast_id),
            ..Track::new("broadcast_progress")
        }
    }

    /// A staff chat's folded notice of one window.
    pub fn notice_digest(digest_id: i64) -> Self {
        Track {
            digest_id: Some(digest_id),
            ..Track::new("notice_digest")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Photo {
    /// PNG bytes, base64 in the stored batch.
    Png(String),
    FileId(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keyboard {
    /// Buttons under the message.
    Inline(Vec<Vec<Button>>),
    /// The menu under the text box.
    Reply(Vec<Vec<String>>),
    RemoveReply,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub text: String,
    #[serde(flatten)]
    pub action: ButtonAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonAction {
    /// At most 64 bytes (Telegram's limit).
    Callback(String),
    Url(String),
}

impl Button {
    pub fn callback(text: impl Into<String>, data: impl Into<String>) -> Self {
        Button {
            text: text.into(),
            action: ButtonAction::Callback(data.into()),
        }
    }

    pub fn url(text: impl Into<String>, url: impl Into<String>) -> Self {
        Button {
            text: text.into(),
            action: ButtonAction::Url(url.into()),
        }
    }
}

/// What an edit replaces wholly: an edit of the same target queued after it makes it moot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditTarget<'a> {
    Text(i32),
    Caption(i32),
    Tracked(&'a Track),
}

impl Outgoing {
    /// The target of an edit that replaces a message's whole text (or caption) and buttons.
    pub fn edit_target(&self) -> Option<EditTarget<'_>> {
        match self {
            Outgoing::EditText { message_id, .. } => Some(EditTarget::Text(*message_id)),
            Outgoing::EditCaption { message_id, .. } => Some(EditTarget::Caption(*message_id)),
            Outgoing::EditTracked { track, .. } => Some(EditTarget::Tracked(track)),
            _ => None,
        }
    }

    /// What the message is remembered as once sent, if anything.
    pub fn track(&self) -> Option<&Track> {
        match self {
            Outgoing::Photo { track, .. } => track.as_ref(),
            Outgoing::TrackedText { track, .. } => Some(track),
            _ => None,
        }
    }

    /// The text of a message remembered as `track`: sent when `first`, else edited in place
    /// (an edit that would change nothing is not sent).
    pub fn tracked(
        first: bool,
        track: Track,
        text: String,
        buttons: Option<Vec<Vec<Button>>>,
    ) -> Self {
        if first {
            Outgoing::TrackedText {
                text,
                track,
                buttons,
            }
        } else {
            Outgoing::EditTracked {
                track,
                text,
                buttons,
            }
        }
    }

    pub fn text(text: impl Into<String>) -> Self {
        Outgoing::Text {
            text: text.into(),
            keyboard: None,
        }
    }

    pub fn text_with(text: impl Into<String>, keyboard: Keyboard) -> Self {
        Outgoing::Text {
            text: text.into(),
            keyboard: Some(keyboard),
        }
    }
}

/// Split texts over Telegram's limits into several messages (the keyboard goes with the
/// last), and a caption over its limit into a short caption plus text messages.
pub fn fit(messages: Vec<Outgoing>) -> Vec<Outgoing> {
    let mut fitted = Vec::with_capacity(messages.len());
    for message in messages {
        match message {
            Outgoing::Text { text, keyboard } => {
                let mut pieces = split(&text, TEXT_LIMIT);
                let last = pieces.pop().unwrap_or_default();
                fitted.extend(pieces.into_iter().map(Outgoing::text));
                fitted.push(Outgoing::Text {
                    text: last,
                    keyboard,
                });
            }
            Outgoing::Photo {
                photo,
                caption,
                keyboard,
                track,
            } if caption.chars().count() > CAPTION_LIMIT => {
                let mut pieces = split(&caption, CAPTION_LIMIT);
                let first = pieces.remove(0);
                let rest = pieces.join("");
                fitted.push(Outgoing::Photo {
                    photo,
                    caption: first,
                    keyboard: None,
                    track,
                });
                for piece in split(&rest, TEXT_LIMIT) {
                    fitted.push(Outgoing::text(piece));
                }
                if let (Some(keyboard), Some(Outgoing::Text { keyboard: slot, .. })) =
                    (keyboard, fitted.last_mut())
                {
                    *slot = Some(keyboard);
                }
            }
            other => fitted.push(other),
        }
    }
    fitted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_becomes_several_messages_with_the_keyboard_last() {
        let keyboard = Keyboard::Inline(vec![vec![Button::callback("OK", "ok")]]);
        let text = "line of text\n".repeat(1000);
        let fitted = fit(vec![Outgoing::text_with(text, keyboard.clone())]);
        assert!(fitted.len() >= 4);
        for (i, message) in fitted.iter().enumerate() {
            let Outgoing::Text { text, keyboard: k } = message else {
                panic!("text expected");
            };
            assert!(text.chars().count() <= TEXT_LIMIT);
            assert_eq!(k.is_some(), i == fitted.len() - 1);
        }
    }

    #[test]
    fn a_long_caption_moves_to_text_messages() {
        let fitted = fit(vec![Outgoing::Photo {
            photo: Photo::FileId("f".to_owned()),
            caption: "word ".repeat(500),
            keyboard: None,
            track: None,
        }]);
        let Outgoing::Photo { caption, .. } = &fitted[0] else {
            panic!("photo first");
        };
        assert!(caption.chars().count() <= CAPTION_LIMIT);
        assert!(fitted.len() >= 2);
    }

    #[test]
    fn batches_round_trip_as_json() {
        let batch = vec![
            Outgoing::text("hi"),
            Outgoing::Delete { message_id: 7 },
            Outgoing::EditButtons {
                message_id: 8,
                buttons: vec![vec![Button::url("Pay", "https://example.com")]],
            },
        ];
        let json = serde_json::to_value(&batch).expect("encode");
        let back: Vec<Outgoing> = serde_json::from_value(json).expect("decode");
        assert_eq!(back, batch);
    }
}
