//! Every Bot API call to a chat goes through here, from any job on any replica: a slot first
//! ([`super::pace`]: pacing, flood control, unchanged edits), then the call, then what
//! Telegram's answer teaches is kept: a 429 holds the chat (or the bot) for its
//! `retry_after`, and a message's new face is remembered so the same edit is not sent again.

use std::time::Duration;

use serde_json::Value;
use sqlx::PgConnection;

use super::api::{ApiError, BotApi};
use super::pace::{self, Class, Face, Limits, Slot};

/// Waits for a slot up to this long are spent in place; longer ones are the caller's
/// (a job snoozes).
const SHORT_WAIT: Duration = Duration::from_secs(2);

/// The Bot API client with Telegram's limits.
#[derive(Debug, Clone)]
pub struct Courier {
    bot: BotApi,
    limits: Limits,
}

/// One call.
pub enum Request<'a> {
    Json {
        method: &'a str,
        params: &'a Value,
    },
    /// `sendPhoto` uploading a PNG.
    Png {
        png: Vec<u8>,
        params: &'a Value,
    },
}

impl Request<'_> {
    fn method(&self) -> &str {
        match self {
            Request::Json { method, .. } => method,
            Request::Png { .. } => "sendPhoto",
        }
    }

    /// Whether the call puts a new message in the chat (paced per chat).
    fn is_message(&self) -> bool {
        matches!(
            self.method(),
            "sendMessage"
                | "sendPhoto"
                | "sendDocument"
                | "sendInvoice"
                | "sendMediaGroup"
                | "copyMessage"
                | "forwardMessage"
        )
    }

    fn params(&self) -> &Value {
        match self {
            Request::Json { params, .. } | Request::Png { params, .. } => params,
        }
    }

    /// The face the call gives a message, and for an edit the message it edits.
    fn face(&self) -> Option<(Option<i64>, Face)> {
        let params = self.params();
        let markup = &params["reply_markup"];
        let edited = params["message_id"].as_i64();
        match self.method() {
            "sendMessage" => Some((None, Face::new(params["text"].as_str(), markup))),
            "sendPhoto" => Some((None, Face::new(params["caption"].as_str(), markup))),
            "editMessageText" => Some((edited, Face::new(params["text"].as_str(), markup))),
            "editMessageCaption" => Some((edited, Face::new(params["caption"].as_str(), markup))),
            "editMessageReplyMarkup" => Some((edited, Face::new(None, markup))),
            _ => None,
        }
    }
}

/// What came of a call.
#[derive(Debug)]
pub enum Delivered {
    /// Telegram's `result`.
    Answer(Value),
    /// An edit that would have changed nothing: not sent.
    Unchanged,
}

/// Why a call was not made or did not succeed.
#[derive(Debug)]
pub enum Refused {
    /// Not before this long (pacing or flood control); nothing was sent.
    Wait(Duration),
    /// Telegram's answer (a 429's hold is already recorded).
    Api(ApiError),
    /// The shared limits could not be read or written.
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Refused {
    fn from(error: sqlx::Error) -> Self {
        Refused::Database(error)
    }
}

impl Courier {
    pub fn new(bot: BotApi, limits: Limits) -> Self {
        Courier { bot, limits }
    }

    /// The plain client, for calls bound to no chat's limits (downloads).
    pub fn bot(&self) -> &BotApi {
        &self.bot
    }

    /// Make `request` to `chat` (0: bound to no chat, e.g. `answerCallbackQuery`) when its
    /// slot comes, waiting up to [`SHORT_WAIT`] for it.
    pub async fn call(
        &self,
        conn: &mut PgConnection,
        chat: i64,
        class: Class,
        request: Request<'_>,
    ) -> Result<Delivered, Refused> {
        let face = if chat == 0 { None } else { request.face() };
        let edited = face.and_then(|(edited, face)| edited.map(|message| (message, face)));
        let target = (chat, request.is_message());
        loop {
            match pace::slot(conn, &self.limits, target, class, edited).await? {
                Slot::Go => break,
                Slot::Unchanged => {
                    spared("unchanged");
                    return Ok(Delivered::Unchanged);
                }
                Slot::Wait(wait) if wait <= SHORT_WAIT => {
                    spared("paced");
                    tokio::time::sleep(wait).await;
                }
                Slot::Wait(wait) => {
                    spared("held");
                    return Err(Refused::Wait(wait));
                }
            }
        }
        let answer = match request {
            Request::Json { method, params } => self.bot.call(method, params).await,
            Request::Png { png, params } => self.bot.send_photo_png(png, params).await,
        };
        match answer {
            Ok(result) => {
                if let Some((edited, face)) = face {
                    let message = edited.or_else(|| result["message_id"].as_i64());
                    if let Some(message) = message {
                        remember(conn, chat, message, face).await;
                    }
                }
                Ok(Delivered::Answer(result))
            }
            Err(error) => {
                if let ApiError::Refused {
                    code: 429,
                    retry_after,
                    ..
                } = &error
                {
                    let hold = Duration::from_secs(retry_after.unwrap_or(1).max(1));
                    if chat == 0 {
                        // A call bound to no chat (a button's answer): only it waits.
                        tracing::info!(?hold, %error, "Telegram flood control on a call bound to no chat");
                    } else {
                        // The 429 itself goes back to the caller, which waits it out even
                        // if the hold could not be recorded for the others.
                        match pace::flooded(conn, chat, hold).await {
                            Ok(bot_wide) => {
                                tracing::warn!(chat, ?hold, bot_wide, %error, "Telegram flood control: holding the calls");
                            }
                            Err(db) => {
                                tracing::error!(chat, ?hold, %error, %db, "Telegram flood control could not be recorded for other jobs");
                            }
                        }
                    }
                } else if error.says("message is not modified")
                    && let Some((Some(message), face)) = face
                {
                    // Telegram says the message shows this already: remember it so.
                    remember(conn, chat, message, face).await;
                }
                Err(Refused::Api(error))
            }
        }
    }
}

/// Remember what a message shows now. The call already happened, so a failure here must not
/// make the caller repeat it: at worst a later identical edit is sent (and taken as done).
async fn remember(conn: &mut PgConnection, chat: i64, message: i64, face: Face) {
    if let Err(error) = pace::shown(conn, chat, message, face).await {
        tracing::warn!(chat, message, %error, "what the message shows was not recorded");
    }
}

fn spared(reason: &str) {
    crate::metrics::metrics()
        .telegram_spared
        .with_label_values(&[reason])
        .inc();
}
