//! How strict the stand-in is: pacing per chat and for the bot, flood control held after a 429, edits that change nothing, and the verdict printed when it stops.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::answer::{inline_keyboard, text_of};
use super::{Fault, State, TelegramStandin};
use serde_json::Value;

/// The generic cell rate algorithm's state for one chat (or the bot), and its flood hold.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Pace {
    pub(super) tat: Option<Instant>,
    pub(super) held_until: Option<Instant>,
}

impl Pace {
    /// Take a slot at `now` if one is free within `burst` calls of `interval`; else how long
    /// until one would be.
    pub(super) fn take(
        &mut self,
        now: Instant,
        interval: Duration,
        burst: u32,
    ) -> Result<(), Duration> {
        let tat = self.tat.map_or(now, |tat| tat.max(now)) + interval;
        let allowed = now + interval * burst;
        if tat > allowed {
            return Err(tat - allowed);
        }
        self.tat = Some(tat);
        Ok(())
    }

    pub(super) fn held(&self, now: Instant) -> Option<Duration> {
        self.held_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    pub(super) fn hold(&mut self, now: Instant, seconds: u32) {
        let until = now + Duration::from_secs(u64::from(seconds));
        self.held_until = Some(self.held_until.map_or(until, |held| held.max(until)));
    }
}

/// Checks, when the last handle of a strict stand-in is gone, that the bot did nothing
/// Telegram punishes.
pub(super) struct Verdict {
    pub(super) state: Arc<Mutex<State>>,
    pub(super) strict: bool,
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

/// Hold `chat` for `seconds`, as Telegram does after a 429 (a call bound to no chat: its
/// query).
pub(super) fn hold(
    state: &mut State,
    (chat, query): (Option<i64>, Option<&str>),
    now: Instant,
    seconds: u32,
) {
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

/// A wait as Telegram's `retry_after`: whole seconds, at least 1.
pub(super) fn seconds(wait: Duration) -> u32 {
    u32::try_from(wait.as_millis().div_ceil(1000))
        .unwrap_or(u32::MAX)
        .max(1)
}

impl TelegramStandin {
    /// Telegram's limits for a call to `chat` (none: a call bound to no chat): flood control,
    /// a storm, an injected 429, the rate limits, unchanged edits. The refusal, if any.
    pub(super) fn police(&self, method: &str, chat: Option<i64>, body: &Value) -> Option<Fault> {
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
    pub(super) fn shown(&self, method: &str, chat: Option<i64>, body: &Value, result: &Value) {
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
}
