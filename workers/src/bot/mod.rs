//! The conversation engine: one Telegram update in, state changes and replies out, all in the
//! caller's transaction (the `telegram.update` job's).

pub mod callback;
pub mod catalog;
pub mod texts;

use sqlx::PgConnection;
use teloxide::types::{CallbackQuery, Message, Update, UpdateKind, User};

use crate::JobError;
use crate::telegram::{Keyboard, Outgoing, html::escape, push};
use callback::Callback;
use jobs::catalogue::TelegramAnswerCallback;
use texts::{Locale, Text, render};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Customer,
    Admin,
    Owner,
}

/// The customer as stored, after this update refreshed their details.
struct Customer {
    telegram_id: i64,
    locale: Locale,
    is_blocked: bool,
    name: String,
}

pub async fn handle(
    tx: &mut PgConnection,
    update: &Update,
    settings: &BotSettings,
) -> Result<(), JobError> {
    match &update.kind {
        UpdateKind::Message(message) => on_message(tx, message, settings).await,
        UpdateKind::CallbackQuery(query) => on_callback(tx, query, settings).await,
        UpdateKind::Error(raw) => {
            tracing::warn!(update = update.id.0, %raw, "update of a kind this bot does not read; ignored");
            Ok(())
        }
        _ => Ok(()),
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
    let customer = remember(tx, user).await?;
    let chat = message.chat.id.0;
    if customer.is_blocked {
        return push(
            tx,
            chat,
            vec![Outgoing::text(render(Text::Blocked, customer.locale, &[]))],
        )
        .await
        .map(drop);
    }
    let role = role_of(tx, settings, customer.telegram_id).await?;
    let text = message.text().unwrap_or("").trim();
    let reply = if text == "/start" || text.starts_with("/start ") {
        Outgoing::text_with(
            welcome(tx, &customer, settings).await?,
            main_menu(role, customer.locale),
        )
    } else if is_menu(text, Text::MenuProducts) {
        let screen = catalog::categories(tx, customer.locale).await?;
        Outgoing::text_with(screen.text, Keyboard::Inline(screen.buttons))
    } else if is_menu(text, Text::MenuStock) {
        let screen = catalog::stock(tx, customer.locale, settings.timezone).await?;
        Outgoing::text_with(screen.text, Keyboard::Inline(screen.buttons))
    } else {
        Outgoing::text_with(
            render(Text::NotUnderstood, customer.locale, &[]),
            main_menu(role, customer.locale),
        )
    };
    push(tx, chat, vec![reply]).await?;
    Ok(())
}

/// Whether `text` is the menu button `menu` in any locale (the menu a customer sees may be
/// from before they switched language).
fn is_menu(text: &str, menu: Text) -> bool {
    [Locale::Id, Locale::En]
        .into_iter()
        .any(|locale| menu.default_text(locale) == text)
}

async fn on_callback(
    tx: &mut PgConnection,
    query: &CallbackQuery,
    settings: &BotSettings,
) -> Result<(), JobError> {
    let customer = remember(tx, &query.from).await?;
    let pressed = query.data.as_deref().and_then(Callback::parse);
    let notice = match (customer.is_blocked, pressed, &query.message) {
        (true, _, _) => Some(render(Text::Blocked, customer.locale, &[])),
        (false, Some(callback), Some(message)) => {
            let screen = match callback {
                Callback::Categories => catalog::categories(tx, customer.locale).await?,
                Callback::Stock => catalog::stock(tx, customer.locale, settings.timezone).await?,
                Callback::List { shelf, page } => {
                    catalog::list(tx, customer.locale, shelf, page, settings.page_size).await?
                }
                Callback::Product { id, shelf, page } => {
                    catalog::product(tx, customer.locale, id, shelf, page).await?
                }
            };
            let edit = Outgoing::EditText {
                message_id: message.id().0,
                text: screen.text,
                buttons: Some(screen.buttons),
            };
            push(tx, message.chat().id.0, vec![edit]).await?;
            None
        }
        _ => {
            tracing::info!(data = ?query.data, user = customer.telegram_id, "unknown or stale button pressed");
            Some(render(Text::ButtonGone, customer.locale, &[]))
        }
    };
    // Every button press is answered, or the button keeps spinning.
    jobs::enqueue(
        &mut *tx,
        &TelegramAnswerCallback {
            callback_query_id: query.id.0.clone(),
            text: notice,
            show_alert: false,
        },
    )
    .await?;
    Ok(())
}

/// Create or refresh the customer from Telegram's view of them; writing to the bot again
/// makes an unreachable customer reachable.
async fn remember(tx: &mut PgConnection, user: &User) -> Result<Customer, JobError> {
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
        RETURNING locale, is_blocked, coalesce(display_name, first_name) AS "name!"
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
        telegram_id,
        locale: Locale::parse(&row.locale),
        is_blocked: row.is_blocked,
        name: row.name,
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
    settings: &BotSettings,
) -> Result<String, JobError> {
    let counts = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM users) AS "customers!",
                  (SELECT count(*) FROM orders WHERE status = 'delivered') AS "completed!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(render(
        Text::Welcome,
        customer.locale,
        &[
            ("name", &escape(&customer.name)),
            ("store", &escape(&settings.store_name)),
            ("customers", &counts.customers.to_string()),
            ("completed", &counts.completed.to_string()),
        ],
    ))
}

/// The menu under the text box, by role.
fn main_menu(role: Role, locale: Locale) -> Keyboard {
    let t = |text: Text| text.default_text(locale).to_owned();
    let mut rows = vec![
        vec![t(Text::MenuProducts), t(Text::MenuStock)],
        vec![t(Text::MenuInfo), t(Text::MenuHowTo)],
    ];
    if role != Role::Customer {
        rows.push(vec![t(Text::MenuAdmin)]);
    }
    Keyboard::Reply(rows)
}
