//! What the stand-in answers to each Bot API method, and what it remembers of the messages it showed.

use std::time::{Duration, Instant};

use super::endpoint::PollGuard;
use super::police::hold;
use super::{Call, Fault, TelegramStandin};
use serde_json::{Value, json};

/// The `my_chat_member` update of a private chat's user changing the bot's status.
pub(super) fn member_update(chat: i64, old: &str, new: &str) -> Value {
    let user = json!({ "id": chat, "is_bot": false, "first_name": "Customer" });
    let bot = json!({ "id": 42, "is_bot": true, "first_name": "Shop", "username": "shop_bot" });
    let member = |status: &str| {
        let mut member = json!({ "status": status, "user": bot });
        if status == "kicked" {
            member["until_date"] = json!(0);
        }
        member
    };
    json!({ "my_chat_member": {
        "chat": { "id": chat, "type": "private", "first_name": "Customer" },
        "from": user,
        "date": chrono::Utc::now().timestamp(),
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }})
}

pub(super) fn chat_of(body: &Value) -> Option<i64> {
    body["chat_id"]
        .as_i64()
        .or_else(|| body["chat_id"].as_str().and_then(|s| s.parse().ok()))
}

pub(super) fn text_of(body: &Value, field: &str) -> String {
    body[field].as_str().unwrap_or("").to_owned()
}

/// A call's inline keyboard as compared by Telegram: absent and empty are the same.
pub(super) fn inline_keyboard(body: &Value) -> String {
    let markup = match &body["reply_markup"] {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    };
    match markup.get("inline_keyboard") {
        Some(rows) if rows.as_array().is_some_and(|rows| !rows.is_empty()) => rows.to_string(),
        _ => String::new(),
    }
}

impl TelegramStandin {
    pub(super) fn take_fault(&self, method: &str) -> Option<Fault> {
        let mut state = self.state();
        if state.flaky > 0.0 && rand::random::<f64>() < state.flaky {
            return Some(if rand::random::<bool>() {
                Fault::RetryAfter(1)
            } else {
                Fault::ServerError
            });
        }
        let index = state
            .faults
            .iter()
            .position(|(m, _, left)| *left > 0 && m.as_deref().is_none_or(|m| m == method))?;
        let (_, fault, left) = &mut state.faults[index];
        *left -= 1;
        let fault = fault.clone();
        if *left == 0 {
            state.faults.remove(index);
        }
        Some(fault)
    }

    pub(super) fn record(&self, method: &str, body: Value, ok: bool, message_id: Option<i64>) {
        let chat_id = body["chat_id"]
            .as_i64()
            .or_else(|| body["chat_id"].as_str().and_then(|s| s.parse().ok()));
        {
            let mut state = self.state();
            let index = state.calls.len();
            state.calls.push(Call {
                method: method.to_owned(),
                chat_id,
                body,
                ok,
                message_id,
                at: std::time::Instant::now(),
            });
            if let (true, Some(chat)) = (ok, chat_id) {
                state.by_chat.entry(chat).or_default().push(index);
            }
        }
        self.calls_changed.notify_waiters();
    }

    pub(super) fn message(&self, body: &Value, extra: Value) -> Value {
        let id = {
            let mut state = self.state();
            let id = state.next_message_id;
            state.next_message_id += 1;
            id
        };
        let chat_id = body["chat_id"]
            .as_i64()
            .or_else(|| body["chat_id"].as_str().and_then(|s| s.parse().ok()))
            .unwrap_or(0);
        let mut message = json!({
            "message_id": body["message_id"].as_i64().unwrap_or(i64::from(id)),
            "date": chrono::Utc::now().timestamp(),
            "chat": { "id": chat_id, "type": "private", "first_name": "Customer" },
        });
        if let (Some(target), Some(extra)) = (message.as_object_mut(), extra.as_object()) {
            target.extend(extra.clone());
        }
        message
    }

    pub(super) async fn get_updates(&self, body: &Value) -> Value {
        let offset = body["offset"].as_i64().unwrap_or(0);
        // Telegram hands out at most `limit` (1–100, default 100) updates per call.
        let limit = body["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
        let timeout = body["timeout"].as_u64().unwrap_or(0).min(30);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
        loop {
            let ready = self.updates_ready.notified();
            {
                let mut state = self.state();
                state
                    .updates
                    .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                if !state.updates.is_empty() {
                    return Value::Array(state.updates.iter().take(limit).cloned().collect());
                }
            }
            if tokio::time::timeout_at(deadline, ready).await.is_err() {
                return json!([]);
            }
        }
    }

    pub(super) async fn answer(&self, method: &str, body: Value) -> Result<Value, Fault> {
        let chat = chat_of(&body);
        if method != "getupdates" {
            if chat.is_some_and(|chat| self.state().blocked.contains(&chat)) {
                self.record(method, body, false, None);
                return Err(Fault::Blocked);
            }
            if let Some(fault) = self.police(method, chat, &body) {
                self.record(method, body, false, None);
                return Err(fault);
            }
            if let Some(fault) = self.take_fault(method) {
                if let Fault::RetryAfter(seconds) = fault {
                    let query = body["callback_query_id"].as_str();
                    hold(&mut self.state(), (chat, query), Instant::now(), seconds);
                }
                self.record(method, body, false, None);
                return Err(fault);
            }
        }
        let result = match method {
            "getme" => json!({
                "id": 42, "is_bot": true, "first_name": "Shop", "username": "shop_bot",
                "can_join_groups": false, "can_read_all_group_messages": false,
                "supports_inline_queries": false, "can_connect_to_business": false,
                "has_main_web_app": false
            }),
            "getupdates" => {
                {
                    let mut state = self.state();
                    if state.polling > 0 {
                        state.conflicts += 1;
                        return Err(Fault::Conflict);
                    }
                    state.polling += 1;
                }
                // Counted down however the call ends (a poller killed mid-poll drops it).
                let _polling = PollGuard(self.clone());
                return Ok(self.get_updates(&body).await);
            }
            "sendmessage" => self.message(&body, json!({ "text": body["text"] })),
            "sendphoto" => self.message(
                &body,
                json!({
                    "caption": body["caption"],
                    "photo": [{ "file_id": "photo-file", "file_unique_id": "photo-unique", "width": 300, "height": 300 }],
                }),
            ),
            "editmessagetext" => self.message(&body, json!({ "text": body["text"] })),
            "editmessagecaption" => self.message(
                &body,
                json!({
                    "caption": body["caption"],
                    "photo": [{ "file_id": "photo-file", "file_unique_id": "photo-unique", "width": 300, "height": 300 }],
                }),
            ),
            "editmessagereplymarkup" => self.message(&body, json!({ "text": "" })),
            "getfile" => {
                let id = body["file_id"].as_str().unwrap_or("");
                let size = self.state().files.get(id).map(Vec::len);
                match size {
                    Some(size) => json!({
                        "file_id": id, "file_unique_id": id, "file_size": size,
                        "file_path": format!("documents/{id}.txt"),
                    }),
                    None => {
                        self.record(method, body, false, None);
                        return Err(Fault::BadRequest("invalid file_id".to_owned()));
                    }
                }
            }
            _ => json!(true),
        };
        if method != "getupdates" {
            self.shown(method, chat, &body, &result);
            self.record(method, body, true, result["message_id"].as_i64());
        }
        Ok(result)
    }
}
