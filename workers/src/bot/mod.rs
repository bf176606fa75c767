//! The conversation engine: one Telegram update in, state changes and replies out, all in the
//! caller's transaction (the `telegram.update` job's).

pub mod texts;

use sqlx::PgConnection;
use teloxide::types::{CallbackQuery, Message, Update, UpdateKind, User};

use crate::JobError;
use crate::telegram::{Keyboard, Outgoing, html::escape, push};
use jobs::catalogue::TelegramAnswerCallback;
use texts::{Locale, Text, render};

/// What the conversation engine knows about the shop.
#[derive(Debug, Clone)]
pub struct BotSettings {
    pub store_name: String,
    pub owner_ids: Vec<i64>,
    pub admin_ids: Vec<i64>,
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
        welcome(tx, &customer, settings).await?
    } else {
        render(Text::NotUnderstood, customer.locale, &[])
    };
    push(
        tx,
        chat,
        vec![Outgoing::text_with(reply, main_menu(role, customer.locale))],
    )
    .await?;
    Ok(())
}

async fn on_callback(
    tx: &mut PgConnection,
    query: &CallbackQuery,
    _settings: &BotSettings,
) -> Result<(), JobError> {
    let customer = remember(tx, &query.from).await?;
    // Every button press is answered, or the button keeps spinning.
    let notice = if customer.is_blocked {
        render(Text::Blocked, customer.locale, &[])
    } else {
        render(Text::ButtonGone, customer.locale, &[])
    };
    jobs::enqueue(
        &mut *tx,
        &TelegramAnswerCallback {
            callback_query_id: query.id.0.clone(),
            text: Some(notice),
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
