//! Settings an admin changes at run time (the `settings` table), over the defaults from
//! configuration: read where they are used, so a change is live at the next update or job on
//! every replica.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;

use crate::cache::Cached;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    StoreName,
    Timezone,
    /// Minutes an invoice stays payable (at most what Pakasir gives).
    InvoiceLifetime,
    DepositMin,
    DepositMax,
    PageSize,
    /// Low-stock threshold for products without their own.
    LowStock,
}

impl Setting {
    pub const ALL: [Setting; 7] = [
        Setting::StoreName,
        Setting::Timezone,
        Setting::InvoiceLifetime,
        Setting::DepositMin,
        Setting::DepositMax,
        Setting::PageSize,
        Setting::LowStock,
    ];

    /// The key in the `settings` table (and in callback data).
    pub fn key(self) -> &'static str {
        match self {
            Setting::StoreName => "store_name",
            Setting::Timezone => "timezone",
            Setting::InvoiceLifetime => "invoice_lifetime_minutes",
            Setting::DepositMin => "deposit_min",
            Setting::DepositMax => "deposit_max",
            Setting::PageSize => "page_size",
            Setting::LowStock => "low_stock_threshold",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// An admin's input as the stored value, or what a value must be.
    pub fn parse(self, input: &str) -> Result<Value, Expected> {
        let input = input.trim();
        let number = |min: i64, max: i64| -> Result<Value, Expected> {
            crate::shop::money::amount(input)
                .filter(|n| (min..=max).contains(n))
                .map(Value::from)
                .ok_or(Expected::Number { min, max })
        };
        match self {
            Setting::StoreName => {
                let name = input.chars().count();
                if (1..=64).contains(&name) {
                    Ok(Value::from(input))
                } else {
                    Err(Expected::Name)
                }
            }
            Setting::Timezone => input
                .parse::<chrono_tz::Tz>()
                .map(|tz| Value::from(tz.name()))
                .map_err(|_| Expected::TimeZone),
            Setting::InvoiceLifetime => number(5, 24 * 60),
            Setting::DepositMin | Setting::DepositMax => number(1_000, 100_000_000),
            Setting::PageSize => number(1, 20),
            Setting::LowStock => number(0, 1_000_000),
        }
    }
}

/// What a setting's value must be, when an input is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A whole number in a range.
    Number { min: i64, max: i64 },
    /// 1–64 characters.
    Name,
    /// An IANA time zone.
    TimeZone,
}

/// The configured values the settings override, kept as they are so overriding twice (or a
/// reset) starts from them.
#[derive(Debug, Clone)]
pub struct Defaults {
    pub store_name: String,
    pub timezone: chrono_tz::Tz,
    pub page_size: u32,
    pub deposit_min: i64,
    pub deposit_max: i64,
}

/// The stored settings.
#[derive(Debug, Clone, Default)]
pub struct Overrides(HashMap<Setting, Value>);

/// The process's copy of `settings`.
static STORED: Cached<Overrides> = Cached::new();

impl Overrides {
    /// The stored settings, from the process's copy ([`crate::cache`]).
    pub async fn load(conn: &mut PgConnection) -> Result<Self, sqlx::Error> {
        Ok(Overrides::clone(
            &*STORED.get_or_load(Overrides::load_fresh(conn)).await?,
        ))
    }

    /// The same from the database, for a transaction that has just changed `settings`.
    pub async fn load_fresh(conn: &mut PgConnection) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query!("SELECT key, value FROM settings")
            .fetch_all(&mut *conn)
            .await?;
        Ok(Overrides(
            rows.into_iter()
                .filter_map(|row| Some((Setting::from_key(&row.key)?, row.value)))
                .collect(),
        ))
    }

    pub fn get(&self, setting: Setting) -> Option<&Value> {
        self.0.get(&setting)
    }

    pub fn number(&self, setting: Setting) -> Option<i64> {
        self.get(setting).and_then(Value::as_i64)
    }

    pub fn timezone(&self) -> Option<chrono_tz::Tz> {
        self.get(Setting::Timezone)
            .and_then(Value::as_str)
            .and_then(|name| name.parse().ok())
    }

    /// Minutes an invoice stays payable, when an admin set it.
    fn invoice_lifetime(&self) -> Option<chrono::Duration> {
        self.number(Setting::InvoiceLifetime)
            .map(chrono::Duration::minutes)
    }

    /// When an invoice Pakasir says expires at `gateway` expires here: sooner, when an admin
    /// set a shorter lifetime.
    pub fn invoice_expiry(
        &self,
        gateway: chrono::DateTime<chrono::Utc>,
    ) -> chrono::DateTime<chrono::Utc> {
        self.invoice_lifetime().map_or(gateway, |lifetime| {
            gateway.min(chrono::Utc::now() + lifetime)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_checked_per_setting() {
        assert_eq!(
            Setting::Timezone.parse("Asia/Makassar"),
            Ok(Value::from("Asia/Makassar"))
        );
        assert!(Setting::Timezone.parse("Mars/Base").is_err());
        assert_eq!(Setting::DepositMin.parse("20.000"), Ok(Value::from(20_000)));
        assert!(Setting::PageSize.parse("0").is_err());
        assert!(Setting::StoreName.parse("").is_err());
        for setting in Setting::ALL {
            assert_eq!(Setting::from_key(setting.key()), Some(setting));
        }
    }
}
