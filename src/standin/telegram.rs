//! A stand-in Telegram Bot API: `POST /bot<token>/<method>` with JSON or multipart bodies,
//! answering like Telegram does. It records every call, hands out injected updates through
//! `getUpdates` (long polling), and can be told to answer 429 with `retry_after`, 403, 400 or
//! 5xx to the next calls of a method.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use salvo::prelude::*;
use serde_json::{Value, json};
use tokio::sync::Notify;

/// One call the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    /// The method in lower case, e.g. `sendmessage`.
    pub method: String,
    pub chat_id: Option<i64>,
    /// The parameters (multipart fields as strings; an uploaded file as its size).
    pub body: Value,
    /// Whether the call was answered with success.
    pub ok: bool,
    /// The message it sent or changed (Telegram's answer), when it did.
    pub message_id: Option<i64>,
    /// When the call arrived.
    pub at: std::time::Instant,
}

impl Call {
    pub fn text(&self) -> Option<&str> {
        self.body["text"].as_str().or(self.body["caption"].as_str())
    }
}

/// What to answer instead of success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    RetryAfter(u32),
    Blocked,
    ChatNotFound,
    BadRequest(String),
    ServerError,
    /// Another `getUpdates` is in progress for this token.
    Conflict,
}

#[derive(Default)]
struct State {
    calls: Vec<Call>,
    /// Indexes into `calls` of the successful calls in each chat, in order.
    by_chat: HashMap<i64, Vec<usize>>,
    next_message_id: i32,
    next_update_id: i64,
    updates: VecDeque<Value>,
    faults: Vec<(Option<String>, Fault, u32)>,
    /// `getUpdates` calls in progress, and how often two overlapped (Telegram answers the
    /// newcomer 409: only one poller per token).
    polling: u32,
    conflicts: u32,
    /// Files users "uploaded", by file id, served by `getFile` and `/file/bot<token>/<path>`.
    files: HashMap<String, Vec<u8>>,
    /// Chance (0–1) that any call other than `getUpdates` fails at random: half 429
    /// (`retry_after` 1), half 500.
    flaky: f64,
}

/// A running stand-in server.
#[derive(Clone)]
pub struct TelegramStandin {
    state: Arc<Mutex<State>>,
    updates_ready: Arc<Notify>,
    calls_changed: Arc<Notify>,
    /// Base URL to give the bot (`TELEGRAM_API_URL`).
    pub url: String,
}

impl TelegramStandin {
    /// Serve on a free port of 127.0.0.1 until the process ends.
    pub async fn start() -> std::io::Result<Self> {
        let acceptor = TcpListener::new("127.0.0.1:0")
            .try_bind()
            .await
            .map_err(std::io::Error::other)?;
        let addr = acceptor.local_addr()?;
        let standin = TelegramStandin {
            state: Arc::new(Mutex::new(State {
                next_message_id: 1,
                next_update_id: 1,
                ..State::default()
            })),
            updates_ready: Arc::new(Notify::new()),
            calls_changed: Arc::new(Notify::new()),
            url: format!("http://{addr}/"),
        };
        let router = Router::with_path("{**rest}").goal(Endpoint(standin.clone()));
        tokio::spawn(Server::new(acceptor).serve(router));
        Ok(standin)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Answer the next `times` calls of `method` (any method when `None`) with `fault`.
    pub fn fail(&self, method: Option<&str>, fault: Fault, times: u32) {
        self.state()
            .faults
            .push((method.map(str::to_lowercase), fault, times));
    }

    /// Queue an update for `getUpdates`; its `update_id` is filled in and returned.
    pub fn push_update(&self, mut update: Value) -> i64 {
        let id = {
            let mut state = self.state();
            let id = state.next_update_id;
            state.next_update_id += 1;
            update["update_id"] = json!(id);
            state.updates.push_back(update);
            id
        };
        self.updates_ready.notify_waiters();
        id
    }

    /// Number the next updates from `next` on (at least): a bot that kept its polling offset
    /// from an earlier stand-in would skip ids it has seen.
    pub fn continue_updates_from(&self, next: i64) {
        let mut state = self.state();
        state.next_update_id = state.next_update_id.max(next);
    }

    /// A fresh update id, for updates delivered some other way (a webhook).
    pub fn next_update_id(&self) -> i64 {
        let mut state = self.state();
        let id = state.next_update_id;
        state.next_update_id += 1;
        id
    }

    /// From now on fail each call with probability `chance` (429 or 500, at random); 0 stops.
    pub fn flaky(&self, chance: f64) {
        self.state().flaky = chance.clamp(0.0, 1.0);
    }

    /// Store a file as if a user had uploaded it; its file id (for a `document` update).
    pub fn add_file(&self, bytes: Vec<u8>) -> String {
        self.keep_file(bytes)
    }

    /// A file a user uploaded or the bot sent (a photo's `file_id` in [`Call::body`]).
    pub fn file(&self, id: &str) -> Option<Vec<u8>> {
        self.state().files.get(id).cloned()
    }

    fn keep_file(&self, bytes: Vec<u8>) -> String {
        let mut state = self.state();
        let id = format!("file-{}", state.files.len() + 1);
        state.files.insert(id.clone(), bytes);
        id
    }

    /// How many `getUpdates` calls overlapped another (each was answered 409).
    pub fn conflicts(&self) -> u32 {
        self.state().conflicts
    }

    pub fn calls(&self) -> Vec<Call> {
        self.state().calls.clone()
    }

    /// The calls `keep` accepts (cloning only those).
    pub fn calls_matching(&self, keep: impl Fn(&Call) -> bool) -> Vec<Call> {
        self.state()
            .calls
            .iter()
            .filter(|call| keep(call))
            .cloned()
            .collect()
    }

    /// The calls recorded after the first `skip` ones (cheap to poll with a growing `skip`).
    pub fn calls_after(&self, skip: usize) -> Vec<Call> {
        self.state().calls.iter().skip(skip).cloned().collect()
    }

    /// Successful calls that put something in `chat_id`'s chat, in order.
    pub fn delivered_to(&self, chat_id: i64) -> Vec<Call> {
        let state = self.state();
        state
            .by_chat
            .get(&chat_id)
            .into_iter()
            .flatten()
            .map(|&i| state.calls[i].clone())
            .collect()
    }

    /// The successful calls in `chat_id`'s chat after the first `skip`, waiting up to `within`
    /// for at least one; empty when none came. Cheap with many chats (an index per chat).
    pub async fn next_in_chat(&self, chat_id: i64, skip: usize, within: Duration) -> Vec<Call> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let changed = self.calls_changed.notified();
            {
                let state = self.state();
                let new: Vec<Call> = state
                    .by_chat
                    .get(&chat_id)
                    .into_iter()
                    .flatten()
                    .skip(skip)
                    .map(|&i| state.calls[i].clone())
                    .collect();
                if !new.is_empty() {
                    return new;
                }
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return Vec::new();
            }
        }
    }

    /// Wait until `check` holds for the recorded calls, or fail after `within`.
    pub async fn wait_for(
        &self,
        what: &str,
        within: Duration,
        check: impl Fn(&[Call]) -> bool,
    ) -> Vec<Call> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let changed = self.calls_changed.notified();
            {
                let state = self.state();
                if check(&state.calls) {
                    return state.calls.clone();
                }
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                let calls = self.calls();
                panic!("stand-in Bot API: timed out waiting for {what}; calls so far: {calls:#?}");
            }
        }
    }

    fn take_fault(&self, method: &str) -> Option<Fault> {
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

    fn record(&self, method: &str, body: Value, ok: bool, message_id: Option<i64>) {
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

    fn message(&self, body: &Value, extra: Value) -> Value {
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

    async fn get_updates(&self, body: &Value) -> Value {
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

    async fn answer(&self, method: &str, body: Value) -> Result<Value, Fault> {
        if method != "getupdates"
            && let Some(fault) = self.take_fault(method)
        {
            self.record(method, body, false, None);
            return Err(fault);
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
            self.record(method, body, true, result["message_id"].as_i64());
        }
        Ok(result)
    }
}

struct PollGuard(TelegramStandin);

impl Drop for PollGuard {
    fn drop(&mut self) {
        self.0.state().polling -= 1;
    }
}

struct Endpoint(TelegramStandin);

#[handler]
impl Endpoint {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let path = req.uri().path().to_owned();
        if path.starts_with("/file/") {
            let id = path
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".txt")
                .to_owned();
            match self.0.state().files.get(&id) {
                Some(bytes) => res.write_body(bytes.clone()).unwrap_or_default(),
                None => {
                    res.status_code(StatusCode::NOT_FOUND);
                }
            };
            return;
        }
        let method = path.rsplit('/').next().unwrap_or("").to_lowercase();
        let body = self.0.read_body(req).await;
        match self.0.answer(&method, body).await {
            Ok(result) => res.render(Json(json!({ "ok": true, "result": result }))),
            Err(fault) => {
                let (status, description, parameters) = match fault {
                    Fault::RetryAfter(secs) => (
                        StatusCode::TOO_MANY_REQUESTS,
                        format!("Too Many Requests: retry after {secs}"),
                        Some(json!({ "retry_after": secs })),
                    ),
                    Fault::Blocked => (
                        StatusCode::FORBIDDEN,
                        "Forbidden: bot was blocked by the user".to_owned(),
                        None,
                    ),
                    Fault::ChatNotFound => (
                        StatusCode::BAD_REQUEST,
                        "Bad Request: chat not found".to_owned(),
                        None,
                    ),
                    Fault::BadRequest(text) => (
                        StatusCode::BAD_REQUEST,
                        format!("Bad Request: {text}"),
                        None,
                    ),
                    Fault::Conflict => (
                        StatusCode::CONFLICT,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running".to_owned(),
                        None,
                    ),
                    Fault::ServerError => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Internal Server Error".to_owned(),
                        None,
                    ),
                };
                res.status_code(status);
                let mut answer = json!({
                    "ok": false,
                    "error_code": status.as_u16(),
                    "description": description,
                });
                if let Some(parameters) = parameters {
                    answer["parameters"] = parameters;
                }
                res.render(Json(answer));
            }
        }
    }
}

impl TelegramStandin {
    /// JSON bodies as they are; multipart fields as strings (JSON-looking ones parsed), files as
    /// `{"file": name, "size": bytes, "file_id": id}` with their bytes kept (see [`Self::file`]).
    async fn read_body(&self, req: &mut Request) -> Value {
        let multipart = req
            .content_type()
            .is_some_and(|ct| ct.essence_str() == "multipart/form-data");
        if !multipart {
            return req.parse_json::<Value>().await.unwrap_or(Value::Null);
        }
        let mut body = serde_json::Map::new();
        if let Ok(form) = req.form_data().await {
            for (name, value) in form.fields.iter() {
                let value = serde_json::from_str::<Value>(value)
                    .ok()
                    .filter(|v| v.is_object() || v.is_array() || v.is_number())
                    .unwrap_or_else(|| Value::String(value.clone()));
                body.insert(name.clone(), value);
            }
            for (name, file) in form.files.iter() {
                let bytes = std::fs::read(file.path()).unwrap_or_default();
                let described = json!({
                    "file": file.name().unwrap_or(""),
                    "size": bytes.len(),
                    "file_id": self.keep_file(bytes),
                });
                // Telegram's `attach://<name>` points a field at an uploaded part.
                let reference = format!("attach://{name}");
                let field = body
                    .iter()
                    .find(|(_, v)| v.as_str() == Some(reference.as_str()))
                    .map(|(k, _)| k.clone());
                body.insert(field.unwrap_or_else(|| name.clone()), described);
            }
        }
        Value::Object(body)
    }
}
