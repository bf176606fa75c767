//! Who sent an update: the customer as stored, refreshed from Telegram, and their role.

use super::{BotSettings, Role};
use crate::JobError;
use crate::shop::ids::{TelegramUserId, UserId};
use crate::ui::texts::Locale;
use sqlx::PgConnection;
use teloxide::types::User;

/// The customer as stored, after this update refreshed their details.
pub(super) struct Customer {
    pub(super) id: UserId,
    pub(super) telegram_id: TelegramUserId,
    pub(super) locale: Locale,
    pub(super) is_blocked: bool,
    pub(super) name: String,
    /// Paid goods could not reach them (they had blocked the bot): tell them where.
    pub(super) missed_goods: bool,
    /// Looked up once per update: owner, admin or customer.
    pub(super) role: Role,
}

/// Create or refresh the customer from Telegram's view of them; writing to the bot again
/// makes an unreachable customer reachable.
pub(super) async fn remember(
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
        id: UserId(row.id),
        telegram_id: TelegramUserId(telegram_id),
        locale: Locale::parse(&row.locale).unwrap_or_default(),
        is_blocked: row.is_blocked,
        name: row.name,
        missed_goods: row.missed_goods,
        role: role_of(tx, settings, telegram_id).await?,
    })
}

pub(super) async fn role_of(
    tx: &mut PgConnection,
    settings: &BotSettings,
    telegram_id: i64,
) -> Result<Role, JobError> {
    if let Some(role) = settings.payments.staff.role_of(telegram_id) {
        return Ok(role);
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
