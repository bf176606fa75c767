//! A simulated customer who buys through the stand-ins the way a person does: /start, open the
//! product, add it to the cart, open the cart, check out, choose QRIS, pay the invoice at the
//! stand-in Pakasir and wait for the goods — timing each step as the customer sees it (from
//! sending the update to the bot's answer arriving in the chat). The load generator runs many.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::pakasir::PakasirStandin;
use super::telegram::{Call, TelegramStandin};

/// The message every button press comes from (the bot edits it in place).
const SCREEN: i64 = 50;

/// One step of a purchase, named after what the customer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    Start,
    Product,
    AddToCart,
    Cart,
    Checkout,
    Invoice,
    Goods,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Start,
        Step::Product,
        Step::AddToCart,
        Step::Cart,
        Step::Checkout,
        Step::Invoice,
        Step::Goods,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Step::Start => "/start → welcome",
            Step::Product => "open product",
            Step::AddToCart => "add to cart",
            Step::Cart => "open cart",
            Step::Checkout => "checkout",
            Step::Invoice => "QRIS → invoice photo",
            Step::Goods => "payment webhook → goods",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JourneyError {
    #[error("customer {chat}: no answer to '{}' within {within:?}", step.name())]
    NoAnswer {
        chat: i64,
        step: Step,
        within: Duration,
    },
    #[error("customer {chat}: '{}': {what}", step.name())]
    Unexpected { chat: i64, step: Step, what: String },
}

/// How long each step of one purchase took.
#[derive(Debug, Clone)]
pub struct Journey {
    pub steps: Vec<(Step, Duration)>,
    pub total: Duration,
}

pub struct Shopper {
    api: TelegramStandin,
    pakasir: PakasirStandin,
    pub chat: i64,
    /// Calls in this chat already looked at.
    seen: usize,
    presses: u32,
}

impl Shopper {
    pub fn new(api: &TelegramStandin, pakasir: &PakasirStandin, chat: i64) -> Self {
        Shopper {
            api: api.clone(),
            pakasir: pakasir.clone(),
            chat,
            seen: 0,
            presses: 0,
        }
    }

    /// Buy one of `product`, whose contents contain `marker`; each step may take `within`.
    pub async fn buy(
        &mut self,
        product: super::load::Listing,
        marker: &str,
        within: Duration,
    ) -> Result<Journey, JourneyError> {
        let began = Instant::now();
        let mut steps = Vec::with_capacity(Step::ALL.len());
        let started = self.say("/start");
        let (_, took) = self
            .answer(Step::Start, started, within, |c| c.method == "sendmessage")
            .await?;
        steps.push((Step::Start, took));

        let add_data = format!("qty:{}:p:all:0", product.variant);
        let started = self.press(&format!("prod:{}:all:0", product.product));
        let (_, took) = self
            .answer(Step::Product, started, within, |c| has_button(c, &add_data))
            .await?;
        steps.push((Step::Product, took));

        let started = self.press(&add_data);
        let (_, took) = self
            .answer(Step::AddToCart, started, within, |c| {
                c.method == "editmessagetext" && has_button(c, "cart")
            })
            .await?;
        steps.push((Step::AddToCart, took));

        let started = self.press("cart");
        let (_, took) = self
            .answer(Step::Cart, started, within, |c| has_button(c, "checkout"))
            .await?;
        steps.push((Step::Cart, took));

        let started = self.press("checkout");
        let (summary, took) = self
            .answer(Step::Checkout, started, within, |c| {
                button_starting(c, "pay:qris:").is_some()
            })
            .await?;
        steps.push((Step::Checkout, took));
        let pay = button_starting(&summary, "pay:qris:").unwrap_or_default();

        let started = self.press(&pay);
        let (invoice, took) = self
            .answer(Step::Invoice, started, within, |c| c.method == "sendphoto")
            .await?;
        steps.push((Step::Invoice, took));
        let order = code_in(invoice.text().unwrap_or(""))
            .ok_or_else(|| self.unexpected(Step::Invoice, "the invoice caption names no order"))?;

        let started = Instant::now();
        match self.pakasir.pay(&order).await {
            Ok(200) => {}
            other => {
                return Err(self.unexpected(
                    Step::Goods,
                    &format!("the payment webhook for {order} was answered {other:?}"),
                ));
            }
        }
        let (_, took) = self
            .answer(Step::Goods, started, within, |c| {
                c.method == "sendmessage" && c.text().is_some_and(|t| t.contains(marker))
            })
            .await?;
        steps.push((Step::Goods, took));
        Ok(Journey {
            steps,
            total: began.elapsed(),
        })
    }

    fn user(&self) -> Value {
        json!({ "id": self.chat, "is_bot": false, "first_name": "Shopper", "language_code": "en" })
    }

    fn say(&self, text: &str) -> Instant {
        let at = Instant::now();
        self.api.push_update(json!({ "message": {
            "message_id": 1, "date": chrono::Utc::now().timestamp(),
            "chat": { "id": self.chat, "type": "private", "first_name": "Shopper" },
            "from": self.user(), "text": text,
        }}));
        at
    }

    fn press(&mut self, data: &str) -> Instant {
        self.presses += 1;
        let at = Instant::now();
        self.api.push_update(json!({ "callback_query": {
            "id": format!("{}-{}", self.chat, self.presses), "from": self.user(),
            "chat_instance": "load", "data": data,
            "message": {
                "message_id": SCREEN, "date": chrono::Utc::now().timestamp(),
                "chat": { "id": self.chat, "type": "private", "first_name": "Shopper" },
                "text": "screen",
            },
        }}));
        at
    }

    /// The first new call in this chat that `wanted` accepts, and how long after `started` it
    /// arrived; calls before it are passed over.
    async fn answer(
        &mut self,
        step: Step,
        started: Instant,
        within: Duration,
        wanted: impl Fn(&Call) -> bool,
    ) -> Result<(Call, Duration), JourneyError> {
        let deadline = started + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let calls = self.api.next_in_chat(self.chat, self.seen, left).await;
            if calls.is_empty() {
                return Err(JourneyError::NoAnswer {
                    chat: self.chat,
                    step,
                    within,
                });
            }
            for call in calls {
                self.seen += 1;
                if wanted(&call) {
                    let took = call.at.saturating_duration_since(started);
                    return Ok((call, took));
                }
            }
        }
    }

    fn unexpected(&self, step: Step, what: &str) -> JourneyError {
        JourneyError::Unexpected {
            chat: self.chat,
            step,
            what: what.to_owned(),
        }
    }
}

fn buttons(call: &Call) -> impl Iterator<Item = &str> {
    call.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .filter_map(|b| b["callback_data"].as_str())
}

fn has_button(call: &Call, data: &str) -> bool {
    buttons(call).any(|b| b == data)
}

fn button_starting(call: &Call, prefix: &str) -> Option<String> {
    buttons(call)
        .find(|b| b.starts_with(prefix))
        .map(str::to_owned)
}

/// The text of the first `<code>…</code>` in `html`.
fn code_in(html: &str) -> Option<String> {
    let start = html.find("<code>")? + "<code>".len();
    let end = html[start..].find("</code>")? + start;
    Some(html[start..end].to_owned())
}
