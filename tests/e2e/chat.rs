//! A customer chatting with the shop through the stand-in Bot API: what they send, and what
//! the bot did in their chat, taken in order one call at a time.

use std::collections::HashSet;
use std::time::Duration;

use bot_auto_order::standin::telegram::{Call, TelegramStandin};
use serde_json::{Value, json};

use crate::support::{Proc, TestDb};

pub const WAIT: Duration = Duration::from_secs(30);

/// The id of the message every button press comes from.
pub const SCREEN: i64 = 50;

/// The whole shop (`run`) against the stand-in, with `extra` settings.
pub fn shop(db: &TestDb, api: &TelegramStandin, extra: &[(&str, &str)]) -> Proc {
    let mut env = vec![
        ("TELEGRAM_BOT_TOKEN", "123:TEST"),
        ("TELEGRAM_API_URL", api.url.as_str()),
    ];
    env.extend_from_slice(extra);
    db.spawn(&["run"], &env)
}

pub struct Customer {
    pub id: i64,
    name: String,
    language: String,
    api: TelegramStandin,
    taken: HashSet<usize>,
    presses: u32,
    username: Option<String>,
}

impl Customer {
    pub fn new(api: &TelegramStandin, id: i64, name: &str, language: &str) -> Self {
        Customer {
            id,
            name: name.to_owned(),
            language: language.to_owned(),
            api: api.clone(),
            taken: HashSet::new(),
            presses: 0,
            username: None,
        }
    }

    /// The same customer with a Telegram @username.
    pub fn with_username(mut self, username: &str) -> Self {
        self.username = Some(username.to_owned());
        self
    }

    fn user(&self) -> Value {
        let mut user = json!({ "id": self.id, "is_bot": false, "first_name": self.name, "language_code": self.language });
        if let Some(username) = &self.username {
            user["username"] = json!(username);
        }
        user
    }

    fn chat(&self) -> Value {
        json!({ "id": self.id, "type": "private", "first_name": self.name })
    }

    /// Send a text message; returns its update id.
    pub fn say(&self, text: &str) -> i64 {
        self.api.push_update(json!({ "message": {
            "message_id": 1, "date": 1_700_000_000,
            "chat": self.chat(), "from": self.user(), "text": text,
        }}))
    }

    /// Send a photo (Telegram's `file_id`) with a caption.
    pub fn photo(&self, file_id: &str, caption: &str) -> i64 {
        self.api.push_update(json!({ "message": {
            "message_id": 2, "date": 1_700_000_000,
            "chat": self.chat(), "from": self.user(), "caption": caption,
            "photo": [
                { "file_id": format!("{file_id}-small"), "file_unique_id": "s", "width": 90, "height": 90, "file_size": 1000 },
                { "file_id": file_id, "file_unique_id": "l", "width": 800, "height": 800, "file_size": 50000 }
            ],
        }}))
    }

    /// Send a file (a stand-in file id) as a document.
    pub fn document(&self, file_id: &str, name: &str, size: usize) -> i64 {
        self.api.push_update(json!({ "message": {
            "message_id": 3, "date": 1_700_000_000,
            "chat": self.chat(), "from": self.user(),
            "document": { "file_id": file_id, "file_unique_id": file_id, "file_name": name, "file_size": size },
        }}))
    }

    /// Press a button with `data` under the screen message; returns the callback query id.
    pub fn press(&mut self, data: &str) -> String {
        self.presses += 1;
        let id = format!("{}-{}", self.id, self.presses);
        self.api.push_update(json!({ "callback_query": {
            "id": id, "from": self.user(), "chat_instance": "ci", "data": data,
            "message": { "message_id": SCREEN, "date": 1_700_000_000, "chat": self.chat(), "text": "screen" }
        }}));
        id
    }

    fn mine(&self, call: &Call) -> bool {
        call.chat_id == Some(self.id)
            || call.body["callback_query_id"]
                .as_str()
                .is_some_and(|id| id.starts_with(&format!("{}-", self.id)))
    }

    /// The next successful `method` call in this chat not taken yet.
    pub async fn next(&mut self, method: &str) -> Call {
        let what = format!("a {method} call for chat {}", self.id);
        let pick = |calls: &[Call], taken: &HashSet<usize>| {
            calls.iter().enumerate().position(|(i, c)| {
                !taken.contains(&i) && c.ok && c.method == method && self.mine(c)
            })
        };
        let taken = self.taken.clone();
        let calls = self
            .api
            .wait_for(&what, WAIT, |calls| pick(calls, &taken).is_some())
            .await;
        let index = pick(&calls, &self.taken).expect("found above");
        self.taken.insert(index);
        calls[index].clone()
    }

    /// The text of the next message sent to this chat.
    pub async fn next_text(&mut self) -> String {
        self.next("sendmessage")
            .await
            .text()
            .unwrap_or("")
            .to_owned()
    }

    /// The text of the next edit of the screen message.
    pub async fn next_screen(&mut self) -> Call {
        let call = self.next("editmessagetext").await;
        assert_eq!(call.body["message_id"], SCREEN, "edited in place");
        call
    }

    /// The notice on the next answered button (empty when answered silently).
    pub async fn next_notice(&mut self) -> String {
        let call = self.next("answercallbackquery").await;
        call.body["text"].as_str().unwrap_or("").to_owned()
    }

    /// The answer to the press with callback query id `id`.
    pub async fn answered(&self, id: &str) -> Call {
        let what = format!("the answer to press {id}");
        let calls = self
            .api
            .wait_for(&what, WAIT, |calls| {
                calls
                    .iter()
                    .any(|c| c.ok && c.body["callback_query_id"] == id)
            })
            .await;
        calls
            .into_iter()
            .find(|c| c.ok && c.body["callback_query_id"] == id)
            .expect("found above")
    }

    /// Every successful call in this chat so far.
    pub fn delivered(&self) -> Vec<Call> {
        self.api.delivered_to(self.id)
    }
}

/// The callback data of the button labelled `label` (exactly) under `call`'s message.
pub fn button(call: &Call, label: &str) -> Option<String> {
    call.body["reply_markup"]["inline_keyboard"]
        .as_array()?
        .iter()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .find(|b| b["text"] == label)
        .and_then(|b| b["callback_data"].as_str())
        .map(str::to_owned)
}

/// Every callback data under `call`'s message.
pub fn buttons(call: &Call) -> Vec<String> {
    call.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .filter_map(|b| b["callback_data"].as_str().map(str::to_owned))
        .collect()
}
