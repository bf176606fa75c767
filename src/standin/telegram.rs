//! A stand-in Telegram Bot API: `POST /bot<token>/<method>` with JSON or multipart bodies,
//! answering like Telegram does. It records every call, hands out injected updates through
//! `getUpdates` (long polling), and can be told to answer 429 with `retry_after`, 403, 400 or
//! 5xx to the next calls of a method.
//!
//! It is as strict as Telegram ([`Strictness`]):
//! * **flood control** per chat and for the bot: after a 429 `retry_after` N to a chat (or,
//!   for the bot's whole budget, to the bot), a call to that chat before N seconds have
//!   passed is answered 429 again and recorded as a **violation**;
//! * **rate limits**: new messages to one private chat beyond about 1 per second (bursts of
//!   5), to a group beyond 20 per minute, and calls to any chat beyond 30 per second for the
//!   whole bot are answered 429 (`retry_after` until the next call would fit) and counted;
//! * **unchanged edits**: an edit whose text (or caption) and inline keyboard equal what the
//!   message shows is answered `400 message is not modified` and counted.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

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

/// The limits the stand-in enforces (Telegram's, with the tolerance Telegram shows for short
/// bursts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StandinLimits {
    /// Calls per second to one private chat, and how many may come at once.
    pub private_per_second: f64,
    pub private_burst: u32,
    /// Calls per minute to one group or channel (negative chat ids).
    pub group_per_minute: u32,
    pub group_burst: u32,
    /// Calls per second to all chats together, and how many may come at once.
    pub bot_per_second: f64,
    pub bot_burst: u32,
}

impl Default for StandinLimits {
    fn default() -> Self {
        StandinLimits {
            private_per_second: 1.0,
            private_burst: 5,
            group_per_minute: 20,
            group_burst: 5,
            bot_per_second: 30.0,
            bot_burst: 60,
        }
    }
}

/// How often the bot did what Telegram punishes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strictness {
    /// Calls to a chat (or, while the bot was held, to any chat already told) inside a
    /// `retry_after` it had been given.
    pub violations: Vec<String>,
    /// Calls answered 429 because they went over a rate limit.
    pub rate_limited: Vec<String>,
    /// Edits answered `message is not modified`.
    pub not_modified: Vec<String>,
}

impl Strictness {
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty() && self.rate_limited.is_empty() && self.not_modified.is_empty()
    }
}

/// The generic cell rate algorithm's state for one chat (or the bot), and its flood hold.
#[derive(Debug, Clone, Copy, Default)]
struct Pace {
    tat: Option<Instant>,
    held_until: Option<Instant>,
}

impl Pace {
    /// Take a slot at `now` if one is free within `burst` calls of `interval`; else how long
    /// until one would be.
    fn take(&mut self, now: Instant, interval: Duration, burst: u32) -> Result<(), Duration> {
        let tat = self.tat.map_or(now, |tat| tat.max(now)) + interval;
        let allowed = now + interval * burst;
        if tat > allowed {
            return Err(tat - allowed);
        }
        self.tat = Some(tat);
        Ok(())
    }

    fn held(&self, now: Instant) -> Option<Duration> {
        self.held_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    fn hold(&mut self, now: Instant, seconds: u32) {
        let until = now + Duration::from_secs(u64::from(seconds));
        self.held_until = Some(self.held_until.map_or(until, |held| held.max(until)));
    }
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
    limits: StandinLimits,
    chats: HashMap<i64, Pace>,
    bot: Pace,
    /// Chats told 429 while the bot as a whole was held (calling them early is a violation).
    bot_told: Vec<i64>,
    /// Calls bound to no chat (a button's answer), held by their query id after a 429.
    queries: HashMap<String, Pace>,
    /// Users who blocked the bot: every call to their chat is answered 403.
    blocked: Vec<i64>,
    /// Until when every call is answered 429 with this `retry_after`.
    storm: Option<(Instant, u32)>,
    /// What each message shows: its text or caption, and its inline keyboard.
    faces: HashMap<(i64, i64), (String, String)>,
    strictness: Strictness,
}

/// A running stand-in server.
#[derive(Clone)]
pub struct TelegramStandin {
    state: Arc<Mutex<State>>,
    updates_ready: Arc<Notify>,
    calls_changed: Arc<Notify>,
    /// Base URL to give the bot (`TELEGRAM_API_URL`).
    pub url: String,
    /// Shared by the handles a test holds (not by the server): see [`Self::start_strict`].
    _verdict: Arc<Verdict>,
}

/// Checks, when the last handle of a strict stand-in is gone, that the bot did nothing
/// Telegram punishes.
struct Verdict {
    state: Arc<Mutex<State>>,
    strict: bool,
}

impl Drop for Verdict {
    fn drop(&mut self) {
        if !self.strict || std::thread::panicking() {
            return;
        }
        let strictness = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .strictness
            .clone();
        assert!(
            strictness.is_clean(),
            "the bot did what Telegram punishes: {strictness:#?}"
        );
    }
}

impl TelegramStandin {
    /// [`Self::start`] for a test: when the test lets go of its last handle, it fails unless
    /// the bot never called inside a `retry_after`, never went over a rate limit and never
    /// sent an edit that changed nothing ([`Strictness`]).
    pub async fn start_strict() -> std::io::Result<Self> {
        Self::serve(true).await
    }

    /// Serve on a free port of 127.0.0.1 until the process ends.
    pub async fn start() -> std::io::Result<Self> {
        Self::serve(false).await
    }

    async fn serve(strict: bool) -> std::io::Result<Self> {
        let acceptor = TcpListener::new("127.0.0.1:0")
            .try_bind()
            .await
            .map_err(std::io::Error::other)?;
        let addr = acceptor.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            next_message_id: 1,
            next_update_id: 1,
            ..State::default()
        }));
        let standin = TelegramStandin {
            state: state.clone(),
            updates_ready: Arc::new(Notify::new()),
            calls_changed: Arc::new(Notify::new()),
            url: format!("http://{addr}/"),
            _verdict: Arc::new(Verdict {
                state: state.clone(),
                strict,
            }),
        };
        let server_side = TelegramStandin {
            _verdict: Arc::new(Verdict {
                state,
                strict: false,
            }),
            ..standin.clone()
        };
        let router = Router::with_path("{**rest}").goal(Endpoint(server_side));
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

    /// The user `chat` blocks the bot: Telegram tells the bot (`my_chat_member`, kicked) and
    /// answers every call to the chat 403 until [`Self::unblock`].
    pub fn block(&self, chat: i64) {
        self.state().blocked.push(chat);
        self.push_update(member_update(chat, "member", "kicked"));
    }

    /// The user `chat` unblocks the bot (`my_chat_member`, member again).
    pub fn unblock(&self, chat: i64) {
        self.state().blocked.retain(|c| *c != chat);
        self.push_update(member_update(chat, "kicked", "member"));
    }

    /// For `duration` from now, answer every call (but `getUpdates`) 429 with `retry_after`.
    pub fn storm(&self, duration: Duration, retry_after: u32) {
        self.state().storm = Some((Instant::now() + duration, retry_after));
    }

    /// Enforce these limits from now on.
    pub fn set_limits(&self, limits: StandinLimits) {
        self.state().limits = limits;
    }

    /// What the bot did that Telegram punishes, so far.
    pub fn strictness(&self) -> Strictness {
        self.state().strictness.clone()
    }

    /// Take back the "message is not modified" answers recorded so far (how many there
    /// were), for a test that kills workers: one killed after Telegram applied an edit and
    /// before recording it repeats that edit when its job is rescued, and Telegram's "not
    /// modified" is then the expected answer (taken as done). Violations and rate limits stay.
    pub fn forgive_repeated_edits(&self) -> usize {
        std::mem::take(&mut self.state().strictness.not_modified).len()
    }

    /// Fail unless the bot never called inside a `retry_after`, never went over a rate limit
    /// and never sent an edit that changed nothing.
    pub fn assert_clean(&self) {
        let strictness = self.strictness();
        assert!(
            strictness.is_clean(),
            "the bot did what Telegram punishes: {strictness:#?}"
        );
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

    /// Telegram's limits for a call to `chat` (none: a call bound to no chat): flood control,
    /// a storm, an injected 429, the rate limits, unchanged edits. The refusal, if any.
    fn police(&self, method: &str, chat: Option<i64>, body: &Value) -> Option<Fault> {
        let now = Instant::now();
        let mut state = self.state();
        let describe = |why: &str| format!("{method} to {chat:?}: {why}");
        if let Some(chat) = chat
            && let Some(left) = state.chats.get(&chat).and_then(|pace| pace.held(now))
        {
            let why = describe(&format!("{left:?} before its retry_after ended"));
            state.strictness.violations.push(why);
            return Some(Fault::RetryAfter(seconds(left)));
        }
        let query = body["callback_query_id"].as_str().map(str::to_owned);
        if let Some(left) = query
            .as_ref()
            .and_then(|query| state.queries.get(query))
            .and_then(|pace| pace.held(now))
        {
            let why = describe(&format!("{left:?} before its retry_after ended"));
            state.strictness.violations.push(why);
            return Some(Fault::RetryAfter(seconds(left)));
        }
        if let Some(left) = state.bot.held(now) {
            let key = chat.unwrap_or(0);
            if state.bot_told.contains(&key) {
                let why = describe(&format!("{left:?} before the bot's retry_after ended"));
                state.strictness.violations.push(why);
            } else {
                state.bot_told.push(key);
            }
            return Some(Fault::RetryAfter(seconds(left)));
        }
        if let Some((until, retry_after)) = state.storm {
            if until > now {
                hold(&mut state, (chat, query.as_deref()), now, retry_after);
                return Some(Fault::RetryAfter(retry_after));
            }
            state.storm = None;
        }
        if let Some(chat) = chat {
            let limits = state.limits;
            let (interval, burst) = if chat < 0 {
                (
                    Duration::from_secs_f64(60.0 / f64::from(limits.group_per_minute.max(1))),
                    limits.group_burst,
                )
            } else {
                (
                    Duration::from_secs_f64(1.0 / limits.private_per_second.max(0.001)),
                    limits.private_burst,
                )
            };
            let bot_interval = Duration::from_secs_f64(1.0 / limits.bot_per_second.max(0.001));
            let mut chat_pace = state.chats.get(&chat).copied().unwrap_or_default();
            let mut bot_pace = state.bot;
            // New messages count per chat; every call to a chat counts for the bot.
            let message = matches!(
                method,
                "sendmessage"
                    | "sendphoto"
                    | "senddocument"
                    | "sendinvoice"
                    | "sendmediagroup"
                    | "copymessage"
                    | "forwardmessage"
            );
            let over = (if message {
                chat_pace.take(now, interval, burst)
            } else {
                Ok(())
            })
            .map_err(|wait| (wait, false))
            .and_then(|()| {
                bot_pace
                    .take(now, bot_interval, limits.bot_burst)
                    .map_err(|wait| (wait, true))
            });
            match over {
                Ok(()) => {
                    state.chats.insert(chat, chat_pace);
                    state.bot = bot_pace;
                }
                Err((wait, bot_wide)) => {
                    let retry_after = seconds(wait);
                    let why = describe(&format!(
                        "over the {} rate limit",
                        if bot_wide { "bot's" } else { "chat's" }
                    ));
                    state.strictness.rate_limited.push(why);
                    if bot_wide {
                        state.bot.hold(now, retry_after);
                        state.bot_told = vec![chat];
                    } else {
                        hold(&mut state, (Some(chat), None), now, retry_after);
                    }
                    return Some(Fault::RetryAfter(retry_after));
                }
            }
            if let Some(message) = body["message_id"].as_i64()
                && let Some(shown) = state.faces.get(&(chat, message))
            {
                let markup = inline_keyboard(body);
                let unchanged = match method {
                    "editmessagetext" => *shown == (text_of(body, "text"), markup),
                    "editmessagecaption" => *shown == (text_of(body, "caption"), markup),
                    "editmessagereplymarkup" => shown.1 == markup,
                    _ => false,
                };
                if unchanged {
                    state
                        .strictness
                        .not_modified
                        .push(describe(&format!("message {message} already shows that")));
                    return Some(Fault::BadRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message".to_owned()));
                }
            }
        }
        None
    }

    /// Remember what a message shows after a successful send or edit.
    fn shown(&self, method: &str, chat: Option<i64>, body: &Value, result: &Value) {
        let (Some(chat), Some(message)) = (chat, result["message_id"].as_i64()) else {
            return;
        };
        let markup = inline_keyboard(body);
        let mut state = self.state();
        let text = match method {
            "sendmessage" | "editmessagetext" => text_of(body, "text"),
            "sendphoto" | "editmessagecaption" => text_of(body, "caption"),
            "editmessagereplymarkup" => state
                .faces
                .get(&(chat, message))
                .map(|face| face.0.clone())
                .unwrap_or_default(),
            _ => return,
        };
        state.faces.insert((chat, message), (text, markup));
    }

    async fn answer(&self, method: &str, body: Value) -> Result<Value, Fault> {
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

/// Hold `chat` for `seconds`, as Telegram does after a 429 (a call bound to no chat: its
/// query).
fn hold(state: &mut State, (chat, query): (Option<i64>, Option<&str>), now: Instant, seconds: u32) {
    match (chat, query) {
        (Some(chat), _) => state.chats.entry(chat).or_default().hold(now, seconds),
        (None, Some(query)) => state
            .queries
            .entry(query.to_owned())
            .or_default()
            .hold(now, seconds),
        (None, None) => {}
    }
}

/// The `my_chat_member` update of a private chat's user changing the bot's status.
fn member_update(chat: i64, old: &str, new: &str) -> Value {
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

/// A wait as Telegram's `retry_after`: whole seconds, at least 1.
fn seconds(wait: Duration) -> u32 {
    u32::try_from(wait.as_millis().div_ceil(1000))
        .unwrap_or(u32::MAX)
        .max(1)
}

fn chat_of(body: &Value) -> Option<i64> {
    body["chat_id"]
        .as_i64()
        .or_else(|| body["chat_id"].as_str().and_then(|s| s.parse().ok()))
}

fn text_of(body: &Value, field: &str) -> String {
    body[field].as_str().unwrap_or("").to_owned()
}

/// A call's inline keyboard as compared by Telegram: absent and empty are the same.
fn inline_keyboard(body: &Value) -> String {
    let markup = match &body["reply_markup"] {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    };
    match markup.get("inline_keyboard") {
        Some(rows) if rows.as_array().is_some_and(|rows| !rows.is_empty()) => rows.to_string(),
        _ => String::new(),
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
