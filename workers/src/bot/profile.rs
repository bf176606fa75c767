//! The customer's own screens: the info panel, customer-service contacts, the display name
//! and the language.

use sqlx::PgConnection;

use super::BotSettings;
use crate::JobError;
use crate::shop::ids::UserId;
use crate::ui::Button;
use crate::ui::callback::Callback;
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{Locale, Text, Texts};

pub async fn info(
    tx: &mut PgConnection,
    t: &Texts,
    user_id: UserId,
    timezone: chrono_tz::Tz,
) -> Result<Screen, JobError> {
    let row = sqlx::query!(
        r#"
        SELECT telegram_id, username, coalesce(display_name, first_name) AS "name!", balance,
               created_at,
               (SELECT count(*) FROM orders WHERE user_id = u.id AND status = 'delivered') AS "orders!"
        FROM users u WHERE id = $1
        "#,
        user_id.get()
    )
    .fetch_one(&mut *tx)
    .await?;
    let username = row
        .username
        .map_or_else(|| "-".to_owned(), |u| format!("@{}", escape(&u)));
    let text = t.render(
        Text::InfoPanel,
        &[
            ("name", &escape(&row.name)),
            ("id", &row.telegram_id.to_string()),
            ("username", &username),
            ("balance", &rupiah(row.balance)),
            ("orders", &row.orders.to_string()),
            (
                "since",
                &row.created_at
                    .with_timezone(&timezone)
                    .format("%d-%m-%Y")
                    .to_string(),
            ),
        ],
    );
    Ok(Screen {
        text,
        buttons: vec![
            vec![
                Button::callback(
                    t.get(Text::ButtonOrders),
                    Callback::Orders { page: 0 }.encode(),
                ),
                Button::callback(t.get(Text::ButtonSupport), Callback::Support.encode()),
            ],
            vec![
                Button::callback(t.get(Text::ButtonEditName), Callback::EditName.encode()),
                Button::callback(t.get(Text::ButtonLanguage), Callback::Language.encode()),
            ],
        ],
    })
}

/// Links to the admins (the owners when there are no admins).
pub async fn support(
    tx: &mut PgConnection,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let stored = sqlx::query_scalar!(
        "SELECT telegram_id FROM admins WHERE role = 'admin' ORDER BY created_at"
    )
    .fetch_all(&mut *tx)
    .await?;
    let staff = &settings.payments.staff;
    let mut ids: Vec<i64> = staff.admins().iter().copied().chain(stored).collect();
    if ids.is_empty() {
        ids = staff.owners().to_vec();
    }
    ids.dedup();
    let known = sqlx::query!(
        r#"SELECT telegram_id, coalesce(display_name, first_name) AS "name!", username
           FROM users WHERE telegram_id = ANY($1)"#,
        &ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let back = vec![Button::callback(t.get(Text::Back), Callback::Info.encode())];
    if ids.is_empty() {
        return Ok(Screen {
            text: t.render(Text::SupportNone, &[]),
            buttons: vec![back],
        });
    }
    let contacts: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let user = known.iter().find(|u| u.telegram_id == *id);
            let name = user
                .map(|u| u.name.clone())
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| format!("Admin {}", i + 1));
            let handle = user
                .and_then(|u| u.username.as_deref())
                .map(|u| format!(" (@{})", escape(u)))
                .unwrap_or_default();
            format!(
                "— <a href=\"tg://user?id={id}\">{}</a>{handle}",
                escape(&name)
            )
        })
        .collect();
    Ok(Screen {
        text: t.render(Text::SupportContacts, &[("contacts", &contacts.join("\n"))]),
        buttons: vec![back],
    })
}

/// A display name as typed: trimmed, 3–32 characters, no control characters.
pub fn valid_name(input: &str) -> Option<String> {
    let name = input.trim();
    let length = name.chars().count();
    ((3..=32).contains(&length) && !name.chars().any(char::is_control)).then(|| name.to_owned())
}

pub async fn save_name(tx: &mut PgConnection, user_id: UserId, name: &str) -> Result<(), JobError> {
    sqlx::query!(
        "UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1",
        user_id.get(),
        name
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub fn language_picker(t: &Texts) -> Screen {
    Screen {
        text: t.render(Text::LanguagePrompt, &[]),
        buttons: vec![vec![
            Button::callback(
                "🇮🇩 Indonesia",
                Callback::SetLanguage { locale: Locale::Id }.encode(),
            ),
            Button::callback(
                "🇬🇧 English",
                Callback::SetLanguage { locale: Locale::En }.encode(),
            ),
        ]],
    }
}

pub async fn save_locale(
    tx: &mut PgConnection,
    user_id: UserId,
    locale: Locale,
) -> Result<(), JobError> {
    sqlx::query!(
        "UPDATE users SET locale = $2, updated_at = now() WHERE id = $1",
        user_id.get(),
        locale.as_str()
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(valid_name("  Ana B "), Some("Ana B".to_owned()));
        assert_eq!(valid_name("ab"), None);
        assert_eq!(valid_name(&"x".repeat(33)), None);
        assert_eq!(valid_name("bad\u{0}name"), None);
        assert_eq!(valid_name("Ñoño 🎉"), Some("Ñoño 🎉".to_owned()));
    }
}
