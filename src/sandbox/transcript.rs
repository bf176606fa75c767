//! The web chat's view of one chat, rebuilt from what the bot did at the stand-in Bot API
//! (messages and photos sent, edited, deleted; button presses answered) and what the person
//! sent from the web chat, in the order it happened.

use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use workers::ui::html::escape;

use crate::standin::telegram::Call;

/// Something the person sent from the web chat.
#[derive(Debug, Clone)]
pub struct Sent {
    pub chat: i64,
    pub at: Instant,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct View {
    pub messages: Vec<Message>,
    /// The reply keyboard under the input (rows of button texts), empty when none is shown.
    pub keyboard: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    /// `bot`, `you`, or `notice` (a button's answer).
    pub from: &'static str,
    /// Telegram HTML (the page renders the tags Telegram allows, nothing else).
    pub html: String,
    /// Where the photo is served, for a photo.
    pub photo: Option<String>,
    pub buttons: Vec<Vec<Button>>,
    /// The order id at Pakasir when this is an invoice still waiting for payment.
    pub pay: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Button {
    pub text: String,
    pub data: Option<String>,
    pub url: Option<String>,
}

/// The callback query id prefix of presses made in `chat` from the web chat.
pub fn press_prefix(chat: i64) -> String {
    format!("sbx-{chat}-")
}

/// Whether `call` answered a press in `chat` with a notice to show (answers carry no chat).
pub fn is_notice(chat: i64, call: &Call) -> bool {
    call.ok
        && call.method == "answercallbackquery"
        && call.body["callback_query_id"]
            .as_str()
            .is_some_and(|id| id.starts_with(&press_prefix(chat)))
        && call.body["text"].as_str().is_some_and(|t| !t.is_empty())
}

/// Build the view of `chat` from its calls (in order), the notices answering its presses
/// ([`is_notice`]), what was sent, and which Pakasir orders are still open.
pub fn build(
    chat: i64,
    in_chat: &[Call],
    notices: &[Call],
    sent: &[Sent],
    open: impl Fn(&str) -> bool,
) -> View {
    // Everything in time order: the bot's calls, button answers, and what the person sent.
    let mut events: Vec<(Instant, Event)> = in_chat
        .iter()
        .chain(notices)
        .map(|c| (c.at, Event::Call(c)))
        .chain(
            sent.iter()
                .filter(|s| s.chat == chat)
                .map(|s| (s.at, Event::Sent(&s.text))),
        )
        .collect();
    events.sort_by_key(|(at, _)| *at);
    let mut view = View {
        messages: Vec::new(),
        keyboard: Vec::new(),
    };
    let mut own = 0;
    for (_, event) in events {
        match event {
            Event::Sent(text) => {
                own -= 1;
                view.messages.push(Message {
                    id: own,
                    from: "you",
                    html: escape(text),
                    photo: None,
                    buttons: Vec::new(),
                    pay: None,
                });
            }
            Event::Call(call) => apply(&mut view, call, &open),
        }
    }
    view
}

enum Event<'a> {
    Call(&'a Call),
    Sent(&'a str),
}

fn apply(view: &mut View, call: &Call, open: &impl Fn(&str) -> bool) {
    let body = &call.body;
    let target = body["message_id"].as_i64();
    let find = |view: &mut View| {
        let id = target?;
        view.messages
            .iter()
            .position(|m| m.id == id && m.from == "bot")
    };
    match call.method.as_str() {
        "sendmessage" | "sendphoto" | "senddocument" => {
            let keyboard = &body["reply_markup"]["keyboard"];
            if keyboard.is_array() {
                view.keyboard = reply_keyboard(keyboard);
            } else if body["reply_markup"]["remove_keyboard"] == true {
                view.keyboard.clear();
            }
            let buttons = inline_keyboard(body);
            let html = match call.method.as_str() {
                "sendmessage" => text(body, "text"),
                "sendphoto" => text(body, "caption"),
                _ => format!(
                    "📄 {}{}",
                    escape(body["document"]["file"].as_str().unwrap_or("file")),
                    body["caption"]
                        .as_str()
                        .map(|c| format!("\n{c}"))
                        .unwrap_or_default()
                ),
            };
            let photo = (call.method == "sendphoto")
                .then(|| body["photo"]["file_id"].as_str())
                .flatten()
                .map(|id| format!("/sandbox/file/{id}"));
            let pay = photo
                .as_ref()
                .and_then(|_| invoice_order(&buttons))
                .filter(|order| open(order));
            view.messages.push(Message {
                id: call.message_id.unwrap_or(0),
                from: "bot",
                html,
                photo,
                buttons,
                pay,
            });
        }
        "editmessagetext" | "editmessagecaption" => {
            if let Some(index) = find(view) {
                let field = if call.method == "editmessagetext" {
                    "text"
                } else {
                    "caption"
                };
                let message = &mut view.messages[index];
                message.html = text(body, field);
                message.buttons = inline_keyboard(body);
                message.pay = message.pay.take().filter(|order| open(order));
            }
        }
        "editmessagereplymarkup" => {
            if let Some(index) = find(view) {
                view.messages[index].buttons = inline_keyboard(body);
            }
        }
        "deletemessage" => {
            if let Some(index) = find(view) {
                view.messages.remove(index);
            }
        }
        "answercallbackquery" => view.messages.push(Message {
            id: 0,
            from: "notice",
            html: escape(body["text"].as_str().unwrap_or("")),
            photo: None,
            buttons: Vec::new(),
            pay: None,
        }),
        _ => {}
    }
}

/// A text field as HTML: Telegram HTML as sent, plain text escaped.
fn text(body: &Value, field: &str) -> String {
    let value = body[field].as_str().unwrap_or("");
    if body["parse_mode"] == "HTML" {
        value.to_owned()
    } else {
        escape(value)
    }
}

fn inline_keyboard(body: &Value) -> Vec<Vec<Button>> {
    rows(&body["reply_markup"]["inline_keyboard"], |b| {
        Some(Button {
            text: b["text"].as_str().unwrap_or("").to_owned(),
            data: b["callback_data"].as_str().map(str::to_owned),
            url: b["url"].as_str().map(str::to_owned),
        })
    })
}

fn reply_keyboard(keyboard: &Value) -> Vec<Vec<String>> {
    rows(keyboard, |b| {
        b["text"].as_str().or(b.as_str()).map(str::to_owned)
    })
}

/// A keyboard's rows of buttons (a JSON array of arrays), each read by `button`.
fn rows<T>(keyboard: &Value, button: impl Fn(&Value) -> Option<T>) -> Vec<Vec<T>> {
    keyboard
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            row.as_array()
                .into_iter()
                .flatten()
                .filter_map(&button)
                .collect()
        })
        .collect()
}

/// The Pakasir order an invoice's "pay in browser" button is for (`…?order_id=<id>`).
fn invoice_order(buttons: &[Vec<Button>]) -> Option<String> {
    buttons.iter().flatten().find_map(|b| {
        let url = url::Url::parse(b.url.as_deref()?).ok()?;
        url.query_pairs()
            .find(|(key, _)| key == "order_id")
            .map(|(_, value)| value.into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(method: &str, message_id: Option<i64>, body: Value, at: Instant) -> Call {
        Call {
            method: method.to_owned(),
            chat_id: Some(1),
            body,
            ok: true,
            message_id,
            at,
        }
    }

    #[test]
    fn sends_edits_deletes_and_what_the_person_sent_make_one_conversation() {
        let t0 = Instant::now();
        let later = |ms| t0 + std::time::Duration::from_millis(ms);
        let calls = [
            call(
                "sendmessage",
                Some(7),
                json!({ "text": "<b>Hi</b>", "parse_mode": "HTML",
                        "reply_markup": { "keyboard": [[{ "text": "🛍 All Products" }]] } }),
                later(10),
            ),
            call(
                "sendmessage",
                Some(8),
                json!({ "text": "a < b", "reply_markup": { "inline_keyboard": [[{ "text": "Go", "callback_data": "go" }]] } }),
                later(20),
            ),
            call(
                "editmessagetext",
                Some(8),
                json!({ "message_id": 8, "text": "<i>edited</i>", "parse_mode": "HTML" }),
                later(30),
            ),
            call(
                "sendphoto",
                Some(9),
                json!({ "caption": "Invoice", "photo": { "file_id": "file-1" },
                        "reply_markup": { "inline_keyboard": [[{ "text": "Pay", "url": "http://x/pay/p/1?order_id=INV-1" }]] } }),
                later(40),
            ),
            call("deletemessage", None, json!({ "message_id": 7 }), later(50)),
        ];
        let sent = [Sent {
            chat: 1,
            at: later(5),
            text: "/start <x>".to_owned(),
        }];
        let view = build(1, &calls, &[], &sent, |order| order == "INV-1");
        let summary: Vec<(i64, &str, &str)> = view
            .messages
            .iter()
            .map(|m| (m.id, m.from, m.html.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (-1, "you", "/start &lt;x&gt;"),
                (8, "bot", "<i>edited</i>"),
                (9, "bot", "Invoice"),
            ]
        );
        assert!(view.messages[1].buttons.is_empty(), "the edit removed them");
        assert_eq!(
            view.messages[2].photo.as_deref(),
            Some("/sandbox/file/file-1")
        );
        assert_eq!(view.messages[2].pay.as_deref(), Some("INV-1"));
        assert_eq!(view.keyboard, [["🛍 All Products"]]);
        let paid = build(1, &calls, &[], &sent, |_| false);
        assert_eq!(
            paid.messages[2].pay, None,
            "a paid invoice has nothing to pay"
        );
    }
}
