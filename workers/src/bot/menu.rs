//! The main menu: its words, its keyboard per role and the screens it opens.

use super::customer::Customer;
use super::input::deposit_prompt;
use super::{BotSettings, Role, admin, catalog, message, orders, profile};
use crate::JobError;
use crate::shop::cart;
use crate::shop::ids::ChatId;
use crate::ui::cart as cart_screen;
use crate::ui::texts::{Text, Texts};
use crate::ui::{Keyboard, Outgoing, html::escape};
use sqlx::PgConnection;

/// A menu button or command: each leaves any pending question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Menu {
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
    pub(super) fn of(t: &Texts, input: &str) -> Option<Menu> {
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

pub(super) async fn open_menu(
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
        Menu::Admin => {
            match admin::Admin::of(
                role,
                customer.telegram_id,
                ChatId(customer.telegram_id.get()),
                t,
            ) {
                Some(acting) => admin::home(&acting, &settings.store_name),
                None => {
                    return Ok(vec![Outgoing::text_with(
                        t.render(Text::NotUnderstood, &[]),
                        main_menu(role, t),
                    )]);
                }
            }
        }
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

pub(super) async fn welcome(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
) -> Result<String, JobError> {
    // Owners and admins are not counted as customers.
    let counts = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM users
                   WHERE telegram_id <> ALL($1)
                     AND telegram_id NOT IN (SELECT telegram_id FROM admins)) AS "customers!",
                  (SELECT count(*) FROM orders WHERE status = 'delivered') AS "completed!""#,
        settings.payments.staff.everyone()
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
pub(super) fn main_menu(role: Role, t: &Texts) -> Keyboard {
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
