//! The conversation engine: one Telegram update in, state changes and replies out, all in the
//! caller's transaction (the `telegram.update` job's).

pub mod admin;
pub mod catalog;
pub mod conversation;
mod membership;
pub mod orders;
pub mod profile;
pub mod spam;
pub mod terms;
pub mod updates;

use std::time::Duration;

use sqlx::PgConnection;
use teloxide::types::{CallbackQuery, Message, Update, UpdateKind, User};

use crate::JobError;
use crate::payments;
use crate::settings::{Overrides, Setting};
use crate::shop::{cart, voucher};
use crate::telegram::{push, push_alert};
use crate::ui::callback::{Callback, PayMethod};
use crate::ui::cart as cart_screen;
use crate::ui::screen::{self, Screen};
use crate::ui::texts::{Locale, Text, Texts};
use crate::ui::{Keyboard, Outgoing, html::escape};
use conversation::{Loaded, State};
use jobs::catalogue::{CloseOrder, CloseReason, TelegramAnswerCallback};
use payments::checkout::Outcome;
use serde_json::Value;
use spam::{SpamLimits, Verdict};

/// What the conversation engine knows about the shop.
#[derive(Debug, Clone)]
pub struct BotSettings {
    pub store_name: String,
    pub owner_ids: Vec<i64>,
    pub admin_ids: Vec<i64>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Customer,
    Admin,
    Owner,
}

/// The customer as stored, after this update refreshed their details.
struct Customer {
    id: i64,
    telegram_id: i64,
    locale: Locale,
    is_blocked: bool,
    name: String,
    /// Paid goods could not reach them (they had blocked the bot): tell them where.
    missed_goods: bool,
    /// Looked up once per update: owner, admin or customer.
    role: Role,
}

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
            customer.id
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
                user = customer.telegram_id,
                hits,
                "rate limit reached; customer warned"
            );
            let window = settings.spam.window.as_secs().max(1).to_string();
            let alert = t.in_locale(Locale::Id).render(
                Text::SpamAlert,
                &[
                    ("name", &crate::ui::html::outside(&customer.name, 64)),
                    ("id", &customer.telegram_id.to_string()),
                    ("hits", &hits.to_string()),
                    ("seconds", &window),
                ],
            );
            for admin in settings.payments.staff.iter().copied() {
                push_alert(tx, admin, vec![Outgoing::text(alert.clone())]).await?;
            }
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

/// A menu button or command: each leaves any pending question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Menu {
    Start,
    Language,
    Products,
    Stock,
    Cart,
    Orders,
    Info,
    HowTo,
    Deposit,
    Admin,
}

impl Menu {
    fn of(t: &Texts, input: &str) -> Option<Menu> {
        if let Some(command) = input.strip_prefix('/') {
            let name = command
                .split_whitespace()
                .next()
                .and_then(|word| word.split('@').next())
                .unwrap_or("")
                .to_lowercase();
            return match name.as_str() {
                "start" => Some(Menu::Start),
                "language" | "bahasa" => Some(Menu::Language),
                "products" | "produk" => Some(Menu::Products),
                "stock" | "stok" => Some(Menu::Stock),
                "cart" | "keranjang" => Some(Menu::Cart),
                "orders" | "riwayat" => Some(Menu::Orders),
                "info" => Some(Menu::Info),
                "help" | "howto" | "bantuan" => Some(Menu::HowTo),
                "deposit" | "topup" => Some(Menu::Deposit),
                "admin" => Some(Menu::Admin),
                _ => None,
            };
        }
        [
            (Text::MenuProducts, Menu::Products),
            (Text::MenuStock, Menu::Stock),
            (Text::MenuCart, Menu::Cart),
            (Text::MenuOrders, Menu::Orders),
            (Text::MenuInfo, Menu::Info),
            (Text::MenuHowTo, Menu::HowTo),
            (Text::MenuDeposit, Menu::Deposit),
            (Text::MenuAdmin, Menu::Admin),
        ]
        .into_iter()
        .find(|(text, _)| t.matches(*text, input))
        .map(|(_, menu)| menu)
    }
}

fn is_cancel(input: &str) -> bool {
    matches!(
        input.to_lowercase().as_str(),
        "batal" | "cancel" | "/cancel" | "/batal"
    )
}

/// A message: its text (or a photo's caption), the photo or file, if any.
async fn on_text(
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
        conversation::clear(tx, chat).await?;
        return open_menu(tx, customer, t, role, menu, settings).await;
    }
    let state = conversation::load(tx, chat).await?;
    if is_cancel(input) {
        conversation::clear(tx, chat).await?;
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
            match admin::Admin::of(role, customer.telegram_id, chat) {
                Some(acting) => admin::on_input(tx, &acting, step, message, settings).await,
                None => {
                    tracing::warn!(
                        user = customer.telegram_id,
                        "an admin step for someone who is no longer an admin; dropped"
                    );
                    conversation::clear(tx, chat).await?;
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
            let staff = &settings.payments.staff;
            terms::submit(tx, t, customer.id, chat, order_id, product_id, proof, staff).await
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

async fn open_menu(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    role: Role,
    menu: Menu,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let screen = match menu {
        Menu::Start => {
            return Ok(vec![Outgoing::text_with(
                welcome(tx, customer, t, settings).await?,
                main_menu(role, t),
            )]);
        }
        Menu::HowTo => {
            return Ok(vec![Outgoing::text(t.render(
                Text::HowTo,
                &[("store", &escape(&settings.store_name))],
            ))]);
        }
        Menu::Deposit => return deposit_prompt(tx, t, customer, settings).await,
        Menu::Admin => match admin::Admin::of(role, customer.telegram_id, customer.telegram_id) {
            Some(acting) => admin::home(&acting, &settings.store_name),
            None => {
                return Ok(vec![Outgoing::text_with(
                    t.render(Text::NotUnderstood, &[]),
                    main_menu(role, t),
                )]);
            }
        },
        Menu::Language => profile::language_picker(t),
        Menu::Products => catalog::categories(tx, t).await?,
        Menu::Stock => catalog::stock(tx, t, settings.timezone).await?,
        Menu::Cart => {
            let summary = cart::summary(tx, customer.id).await?;
            cart_screen::screen(t, &summary, settings.timezone)
        }
        Menu::Orders => orders::list(tx, t, customer.id, 0, settings.timezone).await?,
        Menu::Info => profile::info(tx, t, customer.id, settings.timezone).await?,
    };
    Ok(vec![message(screen)])
}

/// The answer to "send your voucher code".
async fn voucher_input(
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
    conversation::clear(tx, chat).await?;
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
async fn deposit_prompt(
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
        customer.telegram_id,
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
async fn deposit_input(
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
    conversation::clear(tx, chat).await?;
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
async fn name_input(
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
    conversation::clear(tx, chat).await?;
    Ok(vec![Outgoing::text(
        t.render(Text::NameSaved, &[("name", &escape(&name))]),
    )])
}

async fn on_callback(
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
                tracing::info!(data = ?query.data, user = customer.telegram_id, "unknown or stale button pressed");
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
async fn on_admin_button(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    chat: i64,
    data: &str,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let Some(acting) = admin::Admin::of(customer.role, customer.telegram_id, chat) else {
        tracing::warn!(
            user = customer.telegram_id,
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
                user = customer.telegram_id,
                "unknown admin button pressed"
            );
            Ok(Reply::default().noticed(Some(t.render(Text::ButtonGone, &[]))))
        }
    }
}

async fn on_button(
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
            Reply::edit(catalog::list(tx, t, shelf, page, settings.page_size).await?)
        }
        Callback::Product { id, shelf, page } => {
            Reply::edit(catalog::product(tx, t, customer.id, id, shelf, page).await?)
        }
        Callback::Quantity {
            id,
            change,
            shelf,
            page,
        } => {
            let changed = cart::change(tx, customer.id, id, change).await?;
            Reply::edit(catalog::product(tx, t, customer.id, id, shelf, page).await?)
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
            conversation::save(tx, chat, &State::VoucherCode, settings.state_ttl).await?;
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
            match terms::start(tx, t, customer.id, chat, order, product, ttl).await? {
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
            conversation::save(tx, chat, &State::DisplayName, settings.state_ttl).await?;
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

fn change_notice(t: &Texts, changed: &cart::Changed) -> Option<String> {
    match changed {
        cart::Changed::Set(_) => None,
        cart::Changed::Capped { name, stock } => Some(t.render(
            Text::StockCapped,
            &[("name", name), ("stock", &stock.to_string())],
        )),
        cart::Changed::Gone => Some(t.render(Text::ProductGone, &[])),
    }
}

async fn cart_screen(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let summary = cart::summary(tx, customer.id).await?;
    Ok(cart_screen::screen(t, &summary, settings.timezone))
}

/// The checkout summary, with prices and stock read again now.
async fn checkout(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let adjustments = cart::reconcile(tx, customer.id).await?;
    summary_reply(tx, customer, t, settings, &adjustments).await
}

/// The checkout summary after `adjustments` were made to the cart.
async fn summary_reply(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
    adjustments: &[cart::Adjustment],
) -> Result<Reply, JobError> {
    let summary = cart::summary(tx, customer.id).await?;
    let balance = sqlx::query_scalar!("SELECT balance FROM users WHERE id = $1", customer.id)
        .fetch_one(&mut *tx)
        .await?;
    let notice = summary
        .lines
        .is_empty()
        .then(|| t.render(Text::CartEmpty, &[]));
    Ok(Reply::edit(cart_screen::checkout(
        t,
        &summary,
        adjustments,
        balance,
        settings.timezone,
    ))
    .noticed(notice))
}

/// A payment button: the order the press made (a double tap finds the first press's), or
/// the fresh summary when the cart changed since this one was shown.
async fn pay(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    method: PayMethod,
    version: i32,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    if let Some(earlier) = payments::checkout::earlier(tx, customer.id, version).await? {
        return Ok(paid_reply(t, earlier));
    }
    let current = sqlx::query_scalar!("SELECT version FROM carts WHERE user_id = $1", customer.id)
        .fetch_optional(&mut *tx)
        .await?;
    let adjustments = cart::reconcile(tx, customer.id).await?;
    if current != Some(version) || !adjustments.is_empty() {
        let reply = summary_reply(tx, customer, t, settings, &adjustments).await?;
        return Ok(reply.noticed(Some(t.render(Text::CartChanged, &[]))));
    }
    let outcome =
        payments::checkout::checkout(tx, customer.id, method, version, &settings.payments).await?;
    match outcome {
        Outcome::StockChanged {
            product_id,
            name,
            left,
        } => {
            // The summary shows the cart as it can be bought now.
            let capped = cart::cap(tx, customer.id, (product_id, name), left).await?;
            let mut adjustments = cart::reconcile(tx, customer.id).await?;
            adjustments.insert(0, capped);
            let reply = summary_reply(tx, customer, t, settings, &adjustments).await?;
            Ok(reply.noticed(Some(t.render(Text::StockChanged, &[]))))
        }
        Outcome::Empty => checkout(tx, customer, t, settings).await,
        outcome => Ok(paid_reply(t, outcome)),
    }
}

/// What the customer sees after pressing a payment button.
fn paid_reply(t: &Texts, outcome: Outcome) -> Reply {
    let alert = |text: String| Reply {
        notice: Some(text),
        alert: true,
        ..Reply::default()
    };
    let done = |text: String| {
        Reply::edit(Screen {
            text,
            buttons: Vec::new(),
        })
    };
    match outcome {
        Outcome::InvoiceComing {
            public_id,
            order_id,
        } => Reply {
            track: Some(crate::ui::message::Track::invoice_placeholder(order_id)),
            ..done(t.render(Text::InvoicePreparing, &[("id", &public_id)]))
        },
        Outcome::Paid {
            public_id,
            total,
            balance,
        } => done(t.render(
            Text::PaidWithBalance,
            &[
                ("id", &public_id),
                ("total", &screen::rupiah(total)),
                ("balance", &screen::rupiah(balance)),
            ],
        )),
        Outcome::Closed { .. } => alert(t.render(Text::OrderNotOpen, &[])),
        Outcome::OpenOrder { public_id } => {
            alert(t.render(Text::OpenInvoiceExists, &[("id", &public_id)]))
        }
        Outcome::Insufficient { balance, total } => alert(t.render(
            Text::InsufficientBalance,
            &[
                ("balance", &screen::rupiah(balance)),
                ("total", &screen::rupiah(total)),
            ],
        )),
        Outcome::Unavailable => alert(t.render(Text::PaymentUnavailable, &[])),
        Outcome::StockChanged { .. } => alert(t.render(Text::StockChanged, &[])),
        Outcome::Empty => alert(t.render(Text::CartEmpty, &[])),
    }
}

/// The cancel button under an invoice: the order closes at once (in its own job).
async fn cancel_order(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    order_id: i64,
) -> Result<Reply, JobError> {
    let open = sqlx::query_scalar!(
        "SELECT id FROM orders WHERE id = $1 AND user_id = $2 AND status = 'awaiting_payment'",
        order_id,
        customer.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let notice = if open.is_some() {
        jobs::enqueue(
            &mut *tx,
            &CloseOrder {
                order_id,
                reason: CloseReason::Cancelled,
            },
        )
        .await?;
        t.render(Text::CancelRequested, &[])
    } else {
        t.render(Text::OrderNotOpen, &[])
    };
    Ok(Reply::default().noticed(Some(notice)))
}

/// Create or refresh the customer from Telegram's view of them; writing to the bot again
/// makes an unreachable customer reachable.
async fn remember(
    tx: &mut PgConnection,
    user: &User,
    settings: &BotSettings,
) -> Result<Customer, JobError> {
    let telegram_id = i64::try_from(user.id.0)
        .map_err(|_| JobError::permanent(format!("Telegram user id {} out of range", user.id.0)))?;
    let locale = Locale::from_language(user.language_code.as_deref());
    let row = sqlx::query!(
        r#"
        INSERT INTO users (telegram_id, username, first_name, last_name, language_code, locale)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (telegram_id) DO UPDATE SET
            username = EXCLUDED.username,
            first_name = EXCLUDED.first_name,
            last_name = EXCLUDED.last_name,
            language_code = EXCLUDED.language_code,
            unreachable_at = NULL,
            last_seen_at = now(),
            updated_at = now()
        RETURNING id, locale, is_blocked, coalesce(display_name, first_name) AS "name!",
                  EXISTS (SELECT 1 FROM orders o
                          WHERE o.user_id = users.id AND o.goods_missed_at IS NOT NULL) AS "missed_goods!"
        "#,
        telegram_id,
        user.username,
        user.first_name,
        user.last_name,
        user.language_code,
        locale.as_str(),
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Customer {
        id: row.id,
        telegram_id,
        locale: Locale::parse(&row.locale).unwrap_or_default(),
        is_blocked: row.is_blocked,
        name: row.name,
        missed_goods: row.missed_goods,
        role: role_of(tx, settings, telegram_id).await?,
    })
}

async fn role_of(
    tx: &mut PgConnection,
    settings: &BotSettings,
    telegram_id: i64,
) -> Result<Role, JobError> {
    if settings.owner_ids.contains(&telegram_id) {
        return Ok(Role::Owner);
    }
    if settings.admin_ids.contains(&telegram_id) {
        return Ok(Role::Admin);
    }
    let stored = sqlx::query_scalar!(
        "SELECT role FROM admins WHERE telegram_id = $1",
        telegram_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(match stored.as_deref() {
        Some("owner") => Role::Owner,
        Some("admin") => Role::Admin,
        _ => Role::Customer,
    })
}

async fn welcome(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
) -> Result<String, JobError> {
    // Owners and admins are not counted as customers.
    let staff: Vec<i64> = settings
        .owner_ids
        .iter()
        .chain(&settings.admin_ids)
        .copied()
        .collect();
    let counts = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM users
                   WHERE telegram_id <> ALL($1)
                     AND telegram_id NOT IN (SELECT telegram_id FROM admins)) AS "customers!",
                  (SELECT count(*) FROM orders WHERE status = 'delivered') AS "completed!""#,
        &staff
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(t.render(
        Text::Welcome,
        &[
            ("name", &escape(&customer.name)),
            ("store", &escape(&settings.store_name)),
            ("customers", &counts.customers.to_string()),
            ("completed", &counts.completed.to_string()),
        ],
    ))
}

/// The menu under the text box, by role.
fn main_menu(role: Role, t: &Texts) -> Keyboard {
    let label = |text: Text| t.get(text).to_owned();
    let mut rows = vec![
        vec![label(Text::MenuProducts), label(Text::MenuStock)],
        vec![label(Text::MenuCart), label(Text::MenuOrders)],
        vec![label(Text::MenuDeposit), label(Text::MenuInfo)],
        vec![label(Text::MenuHowTo)],
    ];
    if role != Role::Customer {
        rows.push(vec![label(Text::MenuAdmin)]);
    }
    Keyboard::Reply(rows)
}
