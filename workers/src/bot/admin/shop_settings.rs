//! Settings changed from the bot (`settings` table), each checked, audited and live at the
//! next update or job; reset returns to the configured default.

use serde_json::{Value, json};
use sqlx::PgConnection;

use super::callback::MenuPress;
use super::{Admin, Change, ask, back, button, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::{BotSettings, Reply};
use crate::settings::{Expected, Overrides, Setting};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{OpsText as O, Texts};
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

/// A setting's name as admins read it.
fn label(t: &Texts, setting: Setting) -> &str {
    t.get(match setting {
        Setting::StoreName => O::SettingStoreName,
        Setting::Timezone => O::SettingTimezone,
        Setting::InvoiceLifetime => O::SettingInvoiceLifetime,
        Setting::DepositMin => O::SettingDepositMin,
        Setting::DepositMax => O::SettingDepositMax,
        Setting::PageSize => O::SettingPageSize,
        Setting::LowStock => O::SettingLowStock,
    })
}

/// What a value must be, in words.
fn expected(t: &Texts, expected: Expected) -> String {
    match expected {
        Expected::Number { min, max } => t.render(
            O::ExpectNumber,
            &[("min", &min.to_string()), ("max", &max.to_string())],
        ),
        Expected::Name => t.get(O::ExpectName).to_owned(),
        Expected::TimeZone => t.get(O::ExpectZone).to_owned(),
    }
}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: SettingPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        SettingPress::Settings => Reply::edit(screen(tx, t, settings).await?),
        SettingPress::EditSetting { setting } => {
            let question = t.render(O::AskSetting, &[("setting", label(t, setting))]);
            let step = SettingStep::SettingValue { setting };
            return wait_for(tx, admin, step, question, settings).await;
        }
        SettingPress::ResetSetting { setting } => {
            let removed = sqlx::query_scalar!(
                "DELETE FROM settings WHERE key = $1 RETURNING value",
                setting.key()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(before) = removed {
                let change = Change::of("setting.reset", "setting", setting.key().to_owned())
                    .before(json!({ "value": before }));
                admin.audit(tx, change).await?;
            }
            // The screen shows the configured default again.
            let current = settings.overridden(&Overrides::load_fresh(tx).await?);
            Reply::edit(screen(tx, t, &current).await?)
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
    let t = &admin.t;
    let value = match setting.parse(input) {
        Ok(value) => value,
        Err(wanted) => {
            let refused = t.render(
                O::SettingRefused,
                &[
                    ("setting", label(t, setting)),
                    ("expected", &expected(t, wanted)),
                ],
            );
            return Ok(vec![ask(t, refused)]);
        }
    };
    let amount = value.as_i64().unwrap_or(0);
    let payments = &settings.payments;
    let clash = match setting {
        Setting::DepositMin if amount > payments.deposit_max => {
            Some((O::MinAboveMax, payments.deposit_max))
        }
        Setting::DepositMax if amount < payments.deposit_min => {
            Some((O::MaxBelowMin, payments.deposit_min))
        }
        _ => None,
    };
    if let Some((clash, limit)) = clash {
        let why = t.render(clash, &[("amount", &rupiah(limit))]);
        return Ok(vec![ask(t, t.render(O::SettingClash, &[("why", &why)]))]);
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
        admin.telegram_id.get()
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::of("setting.update", "setting", setting.key().to_owned())
        .before(before.map(|value| json!({ "value": value })))
        .after(json!({ "value": value }));
    admin.audit(tx, change).await?;
    conversation::clear(tx, admin.chat).await?;
    let updated = Overrides::load_fresh(tx).await?;
    let screen = screen(tx, t, &settings.overridden(&updated)).await?;
    Ok(vec![Outgoing::text_with(
        t.render(O::SettingSaved, &[("screen", &screen.text)]),
        Keyboard::Inline(screen.buttons),
    )])
}

async fn screen(
    tx: &mut PgConnection,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    // Read, not the process's copy: this may be the transaction that just changed one.
    let overrides = Overrides::load_fresh(tx).await?;
    let shown = |setting: Setting| -> String {
        match setting {
            Setting::StoreName => escape(&settings.store_name),
            Setting::Timezone => settings.timezone.name().to_owned(),
            Setting::InvoiceLifetime => overrides.get(setting).and_then(Value::as_i64).map_or_else(
                || t.get(O::PakasirLifetime).to_owned(),
                |m| t.render(O::Minutes, &[("count", &m.to_string())]),
            ),
            Setting::DepositMin => rupiah(settings.payments.deposit_min),
            Setting::DepositMax => rupiah(settings.payments.deposit_max),
            Setting::PageSize => settings.page_size.to_string(),
            Setting::LowStock => overrides
                .get(setting)
                .and_then(Value::as_i64)
                .map_or_else(|| t.get(O::SettingOff).to_owned(), |n| n.to_string()),
        }
    };
    let lines: Vec<String> = Setting::ALL
        .iter()
        .map(|s| {
            let here = if overrides.get(*s).is_some() {
                t.get(O::SetHere)
            } else {
                ""
            };
            t.render(
                O::SettingLine,
                &[
                    ("setting", label(t, *s)),
                    ("value", &shown(*s)),
                    ("here", here),
                ],
            )
        })
        .collect();
    let mut buttons: Vec<Vec<_>> = Setting::ALL
        .iter()
        .map(|s| {
            let mut row = vec![button(
                format!("✏️ {}", label(t, *s)),
                SettingPress::EditSetting { setting: *s },
            )];
            if overrides.get(*s).is_some() {
                row.push(button(
                    t.get(O::DefaultButton),
                    SettingPress::ResetSetting { setting: *s },
                ));
            }
            row
        })
        .collect();
    buttons.push(back(t, MenuPress::Home));
    Ok(Screen {
        text: t.render(O::SettingsHeader, &[("lines", &lines.join("\n"))]),
        buttons,
    })
}
