//! The conversation engine: one Telegram update in, state changes and replies out, all in the
//! caller's transaction (the `telegram.update` job's).
//!
//! [`handle`] reads as the story of an update: who sent it ([`customer`]), whether they may be
//! served now (the gate), then what they typed ([`input`], [`menu`]) or pressed ([`buttons`],
//! [`checkout`]); staff screens live in [`admin`].

pub mod admin;
mod buttons;
pub mod catalog;
mod checkout;
pub mod conversation;
mod customer;
mod input;
mod membership;
mod menu;
pub mod orders;
pub mod profile;
pub mod spam;
pub mod terms;
pub mod updates;

use std::time::Duration;

use sqlx::PgConnection;
use teloxide::types::{Message, Update, UpdateKind};

use crate::JobError;
use crate::settings::{Overrides, Setting};
use crate::telegram::{alert_staff_with, push};
use crate::ui::screen::Screen;
use crate::ui::texts::{Text, Texts};
use crate::ui::{Keyboard, Outgoing};
use buttons::on_callback;
use customer::{Customer, remember};
use input::on_text;
use serde_json::Value;
use spam::{SpamLimits, Verdict};

/// What the conversation engine knows about the shop.
#[derive(Debug, Clone)]
pub struct BotSettings {
    pub store_name: String,
    /// Products per catalog page.
    pub page_size: u32,
    /// The shop's time zone, for times shown to customers.
    pub timezone: chrono_tz::Tz,
    /// How long the bot waits for an answer (a voucher code, a name) before forgetting.
    pub state_ttl: Duration,
    pub spam: SpamLimits,
    /// Broadcast messages per second, across all replicas.
    pub broadcast_rate: u32,
    /// The shop's public base URL, for dashboard links (none: the bot says to set PUBLIC_URL).
    pub public_url: Option<String>,
    /// The configured values of what admins can change at run time.
    pub defaults: crate::settings::Defaults,
    pub payments: crate::payments::PaymentSettings,
}

impl BotSettings {
    /// These settings with the stored ones over their configured defaults.
    pub fn overridden(&self, overrides: &Overrides) -> BotSettings {
        let defaults = &self.defaults;
        let mut settings = self.clone();
        settings.store_name = overrides
            .get(Setting::StoreName)
            .and_then(Value::as_str)
            .map_or_else(|| defaults.store_name.clone(), str::to_owned);
        settings.timezone = overrides.timezone().unwrap_or(defaults.timezone);
        settings.page_size = overrides
            .number(Setting::PageSize)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(defaults.page_size);
        settings.payments.timezone = settings.timezone;
        settings.payments.deposit_min = overrides
            .number(Setting::DepositMin)
            .unwrap_or(defaults.deposit_min);
        settings.payments.deposit_max = overrides
            .number(Setting::DepositMax)
            .unwrap_or(defaults.deposit_max);
        settings
    }
}

pub use crate::shop::staff::Role;

/// What a button press does: the pressed message edited, new messages, a notice on the button.
#[derive(Default)]
struct Reply {
    edit: Option<Screen>,
    /// The edited message is remembered as this (the invoice placeholder, cleaned up later).
    track: Option<crate::ui::message::Track>,
    send: Vec<Outgoing>,
    notice: Option<String>,
    alert: bool,
}

impl Reply {
    fn edit(screen: Screen) -> Self {
        Reply {
            edit: Some(screen),
            ..Reply::default()
        }
    }

    fn noticed(mut self, notice: Option<String>) -> Self {
        self.notice = notice;
        self
    }
}

/// A screen as a new message.
fn message(screen: Screen) -> Outgoing {
    if screen.buttons.is_empty() {
        Outgoing::text(screen.text)
    } else {
        Outgoing::text_with(screen.text, Keyboard::Inline(screen.buttons))
    }
}

pub async fn handle(
    tx: &mut PgConnection,
    update: &Update,
    settings: &BotSettings,
) -> Result<(), JobError> {
    let settings = &settings.overridden(&Overrides::load(tx).await?);
    match &update.kind {
        UpdateKind::Message(message) => on_message(tx, message, settings).await,
        UpdateKind::CallbackQuery(query) => on_callback(tx, query, settings).await,
        UpdateKind::MyChatMember(change) => membership::on_change(tx, change).await,
        UpdateKind::Error(raw) => {
            tracing::warn!(update = update.id.0, %raw, "update of a kind this bot does not read; ignored");
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether the customer may be served now; when not, the one message to give them, if any.
enum Gate {
    Pass,
    Refuse(Option<String>),
}

async fn gate(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Gate, JobError> {
    if customer.is_blocked {
        let first = sqlx::query_scalar!(
            "UPDATE users SET blocked_notified_at = now() WHERE id = $1 AND blocked_notified_at IS NULL RETURNING id",
            customer.id.get()
        )
        .fetch_optional(&mut *tx)
        .await?;
        return Ok(Gate::Refuse(first.map(|_| t.render(Text::Blocked, &[]))));
    }
    // Anti-spam is for customers: staff working the admin menu fast are not throttled.
    if customer.role != Role::Customer {
        return Ok(Gate::Pass);
    }
    match spam::check(tx, customer.telegram_id, settings.spam).await? {
        Verdict::Allow => Ok(Gate::Pass),
        Verdict::Drop => Ok(Gate::Refuse(None)),
        Verdict::Warn { wait_secs, hits } => {
            tracing::warn!(
                user = %customer.telegram_id,
                hits,
                "rate limit reached; customer warned"
            );
            let window = settings.spam.window.as_secs().max(1).to_string();
            let values = [
                ("name", crate::ui::html::outside(&customer.name, 64)),
                ("id", customer.telegram_id.to_string()),
                ("hits", hits.to_string()),
                ("seconds", window),
            ];
            let values = crate::ui::texts::borrowed(&values);
            let staff = settings.payments.staff.everyone();
            alert_staff_with(tx, staff, Text::SpamAlert, &values).await?;
            Ok(Gate::Refuse(Some(t.render(
                Text::SpamWarning,
                &[("seconds", &wait_secs.to_string())],
            ))))
        }
    }
}

async fn on_message(
    tx: &mut PgConnection,
    message: &Message,
    settings: &BotSettings,
) -> Result<(), JobError> {
    let Some(user) = message.from.as_ref().filter(|_| message.chat.is_private()) else {
        return Ok(());
    };
    let customer = remember(tx, user, settings).await?;
    let t = Texts::load(tx, customer.locale).await?;
    let chat = message.chat.id.0;
    if customer.missed_goods
        && let Some(notice) = membership::missed_goods(tx, customer.id, &t).await?
    {
        push(tx, chat, vec![notice]).await?;
    }
    if let Gate::Refuse(say) = gate(tx, &customer, &t, settings).await? {
        if let Some(text) = say {
            push(tx, chat, vec![Outgoing::text(text)]).await?;
        }
        return Ok(());
    }
    let role = customer.role;
    let input = admin::Input {
        text: message.text().or(message.caption()).unwrap_or("").trim(),
        photo: message
            .photo()
            .and_then(|sizes| sizes.last())
            .map(|size| size.file.id.0.as_str()),
        document: message.document().map(|document| admin::Document {
            file_id: document.file.id.0.as_str(),
            name: document.file_name.as_deref(),
            size: document.file.size,
        }),
    };
    let replies = on_text(tx, &customer, &t, role, chat, &input, settings).await?;
    push(tx, chat, replies).await?;
    Ok(())
}
