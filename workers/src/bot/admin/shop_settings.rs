//! Settings changed from the bot (`settings` table), each checked, audited and live at the
//! next update or job; reset returns to the configured default.

use serde_json::{Value, json};
use sqlx::PgConnection;

use super::callback::MenuPress;
use super::{Admin, ask, audit, back, button, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::{BotSettings, Reply};
use crate::settings::{Overrides, Setting};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::{Keyboard, Outgoing};

/// What the bot waits for from an admin in a setting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum SettingStep {
    SettingValue { setting: crate::settings::Setting },
}

callbacks! {
    /// An admin's press on the shop settings.
    pub enum SettingPress = "a:" {
        Settings = "se",
        EditSetting { setting: Setting } = "sg",
        ResetSetting { setting: Setting } = "sx",
    }
}

impl Checked for SettingPress {}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: SettingPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        SettingPress::Settings => Reply::edit(screen(tx, settings).await?),
        SettingPress::EditSetting { setting } => {
            return wait_for(
                tx,
                admin,
                SettingStep::SettingValue { setting },
                format!("⚙️ Send the new value of <b>{}</b>.", setting.label()),
                settings,
            )
            .await;
        }
        SettingPress::ResetSetting { setting } => {
            let removed = sqlx::query_scalar!(
                "DELETE FROM settings WHERE key = $1 RETURNING value",
                setting.key()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(before) = removed {
                audit(
                    tx,
                    &admin.actor(),
                    "setting.reset",
                    ("setting", Some(setting.key().to_owned())),
                    Some(json!({ "value": before })),
                    None,
                )
                .await?;
            }
            // The screen shows the configured default again.
            let current = settings.overridden(&Overrides::load(tx).await?);
            Reply::edit(screen(tx, &current).await?)
        }
    })
}

pub(super) async fn save(
    tx: &mut PgConnection,
    admin: &Admin,
    setting: Setting,
    input: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let value = match setting.parse(input) {
        Ok(value) => value,
        Err(expected) => {
            return Ok(vec![ask(format!(
                "Not saved: {} needs {expected}. Send it again.",
                setting.label()
            ))]);
        }
    };
    let amount = value.as_i64().unwrap_or(0);
    let payments = &settings.payments;
    let clash = match setting {
        Setting::DepositMin if amount > payments.deposit_max => Some(format!(
            "the smallest top-up would be above the largest ({})",
            rupiah(payments.deposit_max)
        )),
        Setting::DepositMax if amount < payments.deposit_min => Some(format!(
            "the largest top-up would be below the smallest ({})",
            rupiah(payments.deposit_min)
        )),
        _ => None,
    };
    if let Some(clash) = clash {
        return Ok(vec![ask(format!(
            "Not saved: {clash}. Send another value."
        ))]);
    }
    let before = sqlx::query_scalar!("SELECT value FROM settings WHERE key = $1", setting.key())
        .fetch_optional(&mut *tx)
        .await?;
    sqlx::query!(
        r#"INSERT INTO settings (key, value, updated_by) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE
           SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()"#,
        setting.key(),
        value,
        admin.telegram_id
    )
    .execute(&mut *tx)
    .await?;
    audit(
        tx,
        &admin.actor(),
        "setting.update",
        ("setting", Some(setting.key().to_owned())),
        before.map(|value| json!({ "value": value })),
        Some(json!({ "value": value })),
    )
    .await?;
    conversation::clear(tx, admin.chat).await?;
    let updated = Overrides::load(tx).await?;
    let screen = screen(tx, &settings.overridden(&updated)).await?;
    Ok(vec![Outgoing::text_with(
        format!("✅ Saved.\n\n{}", screen.text),
        Keyboard::Inline(screen.buttons),
    )])
}

async fn screen(tx: &mut PgConnection, settings: &BotSettings) -> Result<Screen, JobError> {
    let overrides = Overrides::load(tx).await?;
    let shown = |setting: Setting| -> String {
        match setting {
            Setting::StoreName => escape(&settings.store_name),
            Setting::Timezone => settings.timezone.name().to_owned(),
            Setting::InvoiceLifetime => overrides
                .get(setting)
                .and_then(Value::as_i64)
                .map_or_else(|| "Pakasir's".to_owned(), |m| format!("{m} min")),
            Setting::DepositMin => rupiah(settings.payments.deposit_min),
            Setting::DepositMax => rupiah(settings.payments.deposit_max),
            Setting::PageSize => settings.page_size.to_string(),
            Setting::LowStock => overrides
                .get(setting)
                .and_then(Value::as_i64)
                .map_or_else(|| "off".to_owned(), |n| n.to_string()),
        }
    };
    let lines: Vec<String> = Setting::ALL
        .iter()
        .map(|s| {
            format!(
                "{}: <b>{}</b>{}",
                s.label(),
                shown(*s),
                if overrides.get(*s).is_some() {
                    " (set here)"
                } else {
                    ""
                }
            )
        })
        .collect();
    let mut buttons: Vec<Vec<_>> = Setting::ALL
        .iter()
        .map(|s| {
            let mut row = vec![button(
                format!("✏️ {}", s.label()),
                SettingPress::EditSetting { setting: *s },
            )];
            if overrides.get(*s).is_some() {
                row.push(button(
                    "↩️ Default",
                    SettingPress::ResetSetting { setting: *s },
                ));
            }
            row
        })
        .collect();
    buttons.push(back(MenuPress::Home));
    Ok(Screen {
        text: format!(
            "⚙️ <b>Settings</b> (over the configured defaults; live at once on every replica)\n{}",
            lines.join("\n")
        ),
        buttons,
    })
}
