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

mod answer;
mod endpoint;
mod police;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use answer::member_update;
use endpoint::Endpoint;
use police::{Pace, Verdict};
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
        let (acceptor, addr) = super::listen().await?;
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
        super::serve(acceptor, Endpoint(server_side));
        Ok(standin)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        super::locked(&self.state)
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
}
