//! Button presses: answered, routed to the admin screens or the customer's, and replied to.

use super::checkout::{cancel_order, checkout, pay};
use super::conversation::State;
use super::customer::{Customer, remember};
use super::menu::main_menu;
use super::{BotSettings, Gate, Reply, admin, catalog, conversation, gate, orders, profile, terms};
use crate::JobError;
use crate::shop::cart;
use crate::shop::ids::ChatId;
use crate::telegram::push;
use crate::ui::Outgoing;
use crate::ui::callback::Callback;
use crate::ui::cart as cart_screen;
use crate::ui::screen::Screen;
use crate::ui::texts::{Text, Texts};
use jobs::catalogue::TelegramAnswerCallback;
use sqlx::PgConnection;
use teloxide::types::CallbackQuery;

pub(super) async fn on_callback(
    tx: &mut PgConnection,
    query: &CallbackQuery,
    settings: &BotSettings,
) -> Result<(), JobError> {
    let customer = remember(tx, &query.from, settings).await?;
    let t = Texts::load(tx, customer.locale).await?;
    let reply = match gate(tx, &customer, &t, settings).await? {
        Gate::Refuse(say) => Reply {
            notice: say,
            alert: true,
            ..Reply::default()
        },
        Gate::Pass => match (query.data.as_deref(), &query.message) {
            (Some(data), Some(message)) if admin::AdminCallback::is_admin_data(data) => {
                let chat = message.chat().id.0;
                let reply = on_admin_button(tx, &customer, &t, chat, data, settings).await?;
                if let Some(screen) = reply.edit.as_ref() {
                    let edit = Outgoing::EditText {
                        message_id: message.id().0,
                        text: screen.text.clone(),
                        buttons: Some(screen.buttons.clone()),
                    };
                    push(
                        tx,
                        chat,
                        std::iter::once(edit)
                            .chain(reply.send.iter().cloned())
                            .collect(),
                    )
                    .await?;
                } else if !reply.send.is_empty() {
                    push(tx, chat, reply.send.clone()).await?;
                }
                reply
            }
            (Some(data), Some(message)) if Callback::parse(data).is_some() => {
                let chat = message.chat().id.0;
                let Some(pressed) = Callback::parse(data) else {
                    return Ok(());
                };
                let reply = on_button(tx, &customer, &t, chat, pressed, settings).await?;
                let mut batch = Vec::new();
                if let Some(screen) = reply.edit.as_ref() {
                    batch.push(Outgoing::EditText {
                        message_id: message.id().0,
                        text: screen.text.clone(),
                        buttons: Some(screen.buttons.clone()),
                    });
                    if let Some(track) = &reply.track {
                        crate::telegram::outbox::track_existing(tx, chat, message.id().0, track)
                            .await?;
                    }
                }
                batch.extend(reply.send.iter().cloned());
                if !batch.is_empty() {
                    push(tx, chat, batch).await?;
                }
                reply
            }
            _ => {
                tracing::info!(data = ?query.data, user = %customer.telegram_id, "unknown or stale button pressed");
                Reply::default().noticed(Some(t.render(Text::ButtonGone, &[])))
            }
        },
    };
    // Every button press is answered, or the button keeps spinning.
    jobs::enqueue(
        &mut *tx,
        &TelegramAnswerCallback {
            callback_query_id: query.id.0.clone(),
            text: reply.notice,
            show_alert: reply.alert,
        },
    )
    .await?;
    Ok(())
}

/// An admin button: the role is checked now, whatever the data says; anyone else pressing
/// (or forging) one is refused and nothing happens.
pub(super) async fn on_admin_button(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    chat: i64,
    data: &str,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let Some(acting) = admin::Admin::of(customer.role, customer.telegram_id, ChatId(chat), t)
    else {
        tracing::warn!(
            user = %customer.telegram_id,
            data,
            "admin button from a non-admin refused"
        );
        return Ok(Reply {
            notice: Some(t.render(Text::NotAllowed, &[])),
            alert: true,
            ..Reply::default()
        });
    };
    match admin::AdminCallback::parse(data) {
        Some(pressed) => admin::on_button(tx, &acting, pressed, settings).await,
        None => {
            tracing::info!(
                data,
                user = %customer.telegram_id,
                "unknown admin button pressed"
            );
            Ok(Reply::default().noticed(Some(t.render(Text::ButtonGone, &[]))))
        }
    }
}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    chat: i64,
    pressed: Callback,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let zone = settings.timezone;
    Ok(match pressed {
        Callback::Categories => Reply::edit(catalog::categories(tx, t).await?),
        Callback::Stock => Reply::edit(catalog::stock(tx, t, zone).await?),
        Callback::List { shelf, page } => {
            Reply::edit(catalog::list(tx, t, customer.id, shelf, page, settings.page_size).await?)
        }
        Callback::Product { id, shelf, page } => {
            Reply::edit(catalog::product(tx, t, customer.id, id, shelf, page).await?)
        }
        Callback::Variant { id, shelf, page } => {
            Reply::edit(catalog::variant(tx, t, customer.id, id, shelf, page).await?)
        }
        Callback::Quantity {
            id,
            change,
            shelf,
            page,
        } => {
            let changed = cart::change(tx, customer.id, id, change).await?;
            Reply::edit(catalog::variant(tx, t, customer.id, id, shelf, page).await?)
                .noticed(change_notice(t, &changed))
        }
        Callback::Cart => Reply::edit(cart_screen(tx, customer, t, settings).await?),
        Callback::CartItem { id, change } => {
            let changed = cart::change(tx, customer.id, id, change).await?;
            Reply::edit(cart_screen(tx, customer, t, settings).await?)
                .noticed(change_notice(t, &changed))
        }
        Callback::EmptyCart => {
            cart::empty(tx, customer.id).await?;
            Reply::edit(cart_screen(tx, customer, t, settings).await?)
        }
        Callback::Voucher => {
            conversation::save(tx, ChatId(chat), &State::VoucherCode, settings.state_ttl).await?;
            Reply {
                send: vec![Outgoing::text(t.render(Text::VoucherPrompt, &[]))],
                ..Reply::default()
            }
        }
        Callback::RemoveVoucher => {
            cart::set_voucher(tx, customer.id, None).await?;
            Reply::edit(cart_screen(tx, customer, t, settings).await?)
        }
        Callback::Checkout => checkout(tx, customer, t, settings).await?,
        Callback::Pay { method, version } => {
            pay(tx, customer, t, method, version, settings).await?
        }
        Callback::Orders { page } => {
            Reply::edit(orders::list(tx, t, customer.id, page, zone).await?)
        }
        Callback::Order { id, page } => {
            Reply::edit(orders::detail(tx, t, customer.id, id, page, zone).await?)
        }
        Callback::Contents { id } => Reply {
            send: vec![orders::contents(tx, t, customer.id, id).await?],
            ..Reply::default()
        },
        Callback::CancelOrder { id } => cancel_order(tx, customer, t, id).await?,
        Callback::Terms { order, product } => {
            let ttl = settings.state_ttl;
            let of = terms::Terms {
                user: customer.id,
                chat: ChatId(chat),
                order,
                product,
            };
            match terms::start(tx, t, of, ttl).await? {
                Some(prompt) => Reply {
                    send: vec![prompt],
                    ..Reply::default()
                },
                None => Reply::default().noticed(Some(t.render(Text::OrderNotFound, &[]))),
            }
        }
        Callback::Info => Reply::edit(profile::info(tx, t, customer.id, zone).await?),
        Callback::Support => Reply::edit(profile::support(tx, t, settings).await?),
        Callback::EditName => {
            conversation::save(tx, ChatId(chat), &State::DisplayName, settings.state_ttl).await?;
            Reply {
                send: vec![Outgoing::text(t.render(Text::NamePrompt, &[]))],
                ..Reply::default()
            }
        }
        Callback::Language => Reply::edit(profile::language_picker(t)),
        Callback::SetLanguage { locale } => {
            profile::save_locale(tx, customer.id, locale).await?;
            let t = t.in_locale(locale);
            let role = customer.role;
            Reply {
                edit: Some(Screen {
                    text: t.render(Text::LanguageSaved, &[]),
                    buttons: Vec::new(),
                }),
                send: vec![Outgoing::text_with(
                    t.render(Text::MenuUpdated, &[]),
                    main_menu(role, &t),
                )],
                ..Reply::default()
            }
        }
    })
}

pub(super) fn change_notice(t: &Texts, changed: &cart::Changed) -> Option<String> {
    match changed {
        cart::Changed::Set(_) => None,
        cart::Changed::Capped { name, stock } => Some(t.render(
            Text::StockCapped,
            &[("name", name), ("stock", &stock.to_string())],
        )),
        cart::Changed::Gone => Some(t.render(Text::ProductGone, &[])),
    }
}

pub(super) async fn cart_screen(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let summary = cart::summary(tx, customer.id).await?;
    Ok(cart_screen::screen(t, &summary, settings.timezone))
}
