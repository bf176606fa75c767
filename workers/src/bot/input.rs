//! What a person types: menu words, cancel, and the answers to the questions the bot asked.

use super::conversation::{Loaded, State};
use super::customer::Customer;
use super::menu::{Menu, main_menu, open_menu};
use super::{BotSettings, Role, admin, conversation, message, profile, terms};
use crate::JobError;
use crate::payments;
use crate::shop::ids::ChatId;
use crate::shop::{cart, voucher};
use crate::ui::cart as cart_screen;
use crate::ui::screen::{self};
use crate::ui::texts::{Text, Texts};
use crate::ui::{Outgoing, html::escape};
use sqlx::PgConnection;

pub(super) fn is_cancel(input: &str) -> bool {
    matches!(
        input.to_lowercase().as_str(),
        "batal" | "cancel" | "/cancel" | "/batal"
    )
}

/// A message: its text (or a photo's caption), the photo or file, if any.
pub(super) async fn on_text(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    role: Role,
    chat: i64,
    message: &admin::Input<'_>,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let input = message.text;
    if let Some(menu) = Menu::of(t, input) {
        conversation::clear(tx, ChatId(chat)).await?;
        return open_menu(tx, customer, t, role, menu, settings).await;
    }
    let state = conversation::load(tx, ChatId(chat)).await?;
    if is_cancel(input) {
        conversation::clear(tx, ChatId(chat)).await?;
        let text = match state {
            Loaded::Live(_) => Text::Cancelled,
            _ => Text::NotUnderstood,
        };
        return Ok(vec![Outgoing::text_with(
            t.render(text, &[]),
            main_menu(role, t),
        )]);
    }
    match state {
        Loaded::Live(State::VoucherCode) => {
            voucher_input(tx, customer, t, chat, input, settings).await
        }
        Loaded::Live(State::DisplayName) => name_input(tx, customer, t, chat, input).await,
        Loaded::Live(State::DepositAmount) => {
            deposit_input(tx, customer, t, chat, input, settings).await
        }
        Loaded::Live(State::Admin(step)) => {
            match admin::Admin::of(role, customer.telegram_id, ChatId(chat), t) {
                Some(acting) => admin::on_input(tx, &acting, step, message, settings).await,
                None => {
                    tracing::warn!(
                        user = %customer.telegram_id,
                        "an admin step for someone who is no longer an admin; dropped"
                    );
                    conversation::clear(tx, ChatId(chat)).await?;
                    Ok(vec![Outgoing::text_with(
                        t.render(Text::NotUnderstood, &[]),
                        main_menu(role, t),
                    )])
                }
            }
        }
        Loaded::Live(State::TermsProof {
            order_id,
            product_id,
        }) => {
            let proof = terms::Proof {
                text: Some(input),
                photo: message.photo,
            };
            let staff = settings.payments.staff.everyone();
            let of = terms::Terms {
                user: customer.id,
                chat: ChatId(chat),
                order: order_id,
                product: product_id,
            };
            terms::submit(tx, t, of, proof, staff).await
        }
        Loaded::Expired => Ok(vec![Outgoing::text_with(
            t.render(Text::StateExpired, &[]),
            main_menu(role, t),
        )]),
        Loaded::Nothing => Ok(vec![Outgoing::text_with(
            t.render(Text::NotUnderstood, &[]),
            main_menu(role, t),
        )]),
    }
}

/// The answer to "send your voucher code".
pub(super) async fn voucher_input(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    chat: i64,
    input: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let shown: String = input.trim().to_uppercase().chars().take(32).collect();
    let found = match voucher::normalise(input) {
        Some(code) => voucher::find(tx, voucher::Key::Code(&code)).await?,
        None => None,
    };
    let rejected = |rejection: &voucher::Rejection| {
        Ok(vec![Outgoing::text(t.render(
            Text::VoucherRejected,
            &[
                ("code", &escape(&shown)),
                (
                    "reason",
                    &cart_screen::reason(t, rejection, settings.timezone),
                ),
            ],
        ))])
    };
    let Some(found) = found else {
        return rejected(&voucher::Rejection::Unknown);
    };
    let before = cart::summary(tx, customer.id).await?;
    if let Err(rejection) = voucher::check(tx, &found, customer.id, before.subtotal).await? {
        return rejected(&rejection);
    }
    cart::set_voucher(tx, customer.id, Some(found.id)).await?;
    conversation::clear(tx, ChatId(chat)).await?;
    let summary = cart::summary(tx, customer.id).await?;
    Ok(vec![
        Outgoing::text(t.render(
            Text::VoucherApplied,
            &[
                ("code", &escape(&found.code)),
                ("amount", &screen::rupiah(summary.discount)),
            ],
        )),
        message(cart_screen::screen(t, &summary, settings.timezone)),
    ])
}

/// "💰 Deposit": ask for the amount (QRIS must be on).
pub(super) async fn deposit_prompt(
    tx: &mut PgConnection,
    t: &Texts,
    customer: &Customer,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    if settings.payments.pakasir.is_none() {
        return Ok(vec![Outgoing::text(
            t.render(Text::PaymentUnavailable, &[]),
        )]);
    }
    conversation::save(
        tx,
        ChatId(customer.telegram_id.get()),
        &State::DepositAmount,
        settings.state_ttl,
    )
    .await?;
    Ok(vec![Outgoing::text(t.render(
        Text::DepositPrompt,
        &[
            ("min", &screen::rupiah(settings.payments.deposit_min)),
            ("max", &screen::rupiah(settings.payments.deposit_max)),
        ],
    ))])
}

/// The answer to "send the amount to top up".
pub(super) async fn deposit_input(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    chat: i64,
    input: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let (min, max) = (settings.payments.deposit_min, settings.payments.deposit_max);
    let Some(amount) = crate::shop::money::amount(input).filter(|a| (min..=max).contains(a)) else {
        return Ok(vec![Outgoing::text(t.render(
            Text::DepositInvalid,
            &[("min", &screen::rupiah(min)), ("max", &screen::rupiah(max))],
        ))]);
    };
    conversation::clear(tx, ChatId(chat)).await?;
    Ok(vec![
        match payments::deposit::start(tx, customer.id, amount).await? {
            payments::deposit::Started::Created {
                public_id,
                deposit_id,
            } => Outgoing::TrackedText {
                text: t.render(
                    Text::DepositPreparing,
                    &[("id", &public_id), ("amount", &screen::rupiah(amount))],
                ),
                track: crate::ui::message::Track::deposit_placeholder(deposit_id),
                buttons: None,
            },
            payments::deposit::Started::OpenExists { public_id } => {
                Outgoing::text(t.render(Text::DepositOpenExists, &[("id", &public_id)]))
            }
        },
    ])
}

/// The answer to "send your new display name".
pub(super) async fn name_input(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    chat: i64,
    input: &str,
) -> Result<Vec<Outgoing>, JobError> {
    let Some(name) = profile::valid_name(input) else {
        return Ok(vec![Outgoing::text(t.render(Text::NameInvalid, &[]))]);
    };
    profile::save_name(tx, customer.id, &name).await?;
    conversation::clear(tx, ChatId(chat)).await?;
    Ok(vec![Outgoing::text(
        t.render(Text::NameSaved, &[("name", &escape(&name))]),
    )])
}
