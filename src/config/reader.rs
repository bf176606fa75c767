//! Reading the environment: each variable parsed once, every problem collected (not just
//! the first), defaults from [`super::VARIABLES`].

use super::{TelegramMode, VARIABLES};
use secrecy::{ExposeSecret, SecretString};
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;
use workers::payments::pakasir::PakasirConfig;

pub(super) struct Reader<'a> {
    pub(super) lookup: &'a dyn Fn(&str) -> Option<String>,
    pub(super) problems: Vec<String>,
}

impl Reader<'_> {
    pub(super) fn raw(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .or_else(|| default_of(name).map(str::to_owned))
    }

    /// Parse `name` (or its default). On a problem, record it and return `T::default()` so
    /// reading continues and every problem is reported together (the placeholder never
    /// leaves [`Settings::from_lookup`], which fails when any problem was recorded).
    pub(super) fn parse<T: Default>(
        &mut self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> T {
        let Some(value) = self.raw(name) else {
            self.problems.push(format!("{name} is not set"));
            return T::default();
        };
        parse(&value).unwrap_or_else(|reason| {
            self.problems
                .push(format!("{name}={value:?} is not valid: {reason}"));
            T::default()
        })
    }

    pub(super) fn socket_addr(&mut self, name: &str) -> SocketAddr {
        self.parse(name, |s| {
            s.parse::<SocketAddr>()
                .map(Some)
                .map_err(|e| format!("{e} (expected host:port, e.g. 0.0.0.0:8080)"))
        })
        .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 0)))
    }

    /// An optional comma list of Telegram ids.
    pub(super) fn ids(&mut self, name: &str) -> Vec<i64> {
        match self.raw(name) {
            None => Vec::new(),
            Some(_) => self.parse(name, parse_ids),
        }
    }

    /// Pakasir's settings when a project and key are both set (one alone is a mistake).
    pub(super) fn pakasir(&mut self) -> Option<PakasirConfig> {
        let api_url = self.url("PAKASIR_API_URL");
        let pay_url = self.url("PAKASIR_PAY_URL");
        let timeout = self.duration("PAKASIR_TIMEOUT");
        match (
            self.raw("PAKASIR_PROJECT"),
            self.optional_secret("PAKASIR_API_KEY"),
        ) {
            (Some(project), Some(api_key)) => Some(PakasirConfig {
                api_url,
                project,
                api_key,
                pay_url,
                timeout,
            }),
            (None, None) => None,
            _ => {
                self.problems.push(
                    "PAKASIR_PROJECT and PAKASIR_API_KEY go together: set both for QRIS, or neither"
                        .to_owned(),
                );
                None
            }
        }
    }

    pub(super) fn telegram_mode(&mut self) -> TelegramMode {
        let mode = self.parse("TELEGRAM_MODE", |s| match s {
            "polling" | "webhook" => Ok(s.to_owned()),
            _ => Err("expected `polling` or `webhook`".to_owned()),
        });
        if mode != "webhook" {
            return TelegramMode::Polling;
        }
        let url = self.url("TELEGRAM_WEBHOOK_URL");
        let secret = self.required_secret("TELEGRAM_WEBHOOK_SECRET");
        let valid = secret.expose_secret().len() >= 16
            && secret
                .expose_secret()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            self.problems.push(
                "TELEGRAM_WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and -"
                    .to_owned(),
            );
        }
        TelegramMode::Webhook { url, secret }
    }

    pub(super) fn url(&mut self, name: &str) -> url::Url {
        self.parse(name, |s| {
            url::Url::parse(s).map(Some).map_err(|e| {
                format!("{e} (expected an absolute URL like https://api.telegram.org)")
            })
        })
        .unwrap_or_else(|| url::Url::parse("http://invalid.invalid/").expect("constant URL"))
    }

    pub(super) fn duration(&mut self, name: &str) -> Duration {
        self.parse(name, |s| {
            humantime::parse_duration(s)
                .map_err(|e| format!("{e} (write durations like 500ms, 30s, 5m, 24h, 14d)"))
                .and_then(|d| {
                    if d.is_zero() {
                        Err("must be longer than zero".to_owned())
                    } else {
                        Ok(d)
                    }
                })
        })
    }

    pub(super) fn required_secret(&mut self, name: &str) -> SecretString {
        match self.raw(name) {
            Some(value) => SecretString::from(value),
            None => {
                self.problems
                    .push(format!("{name} is required but not set"));
                SecretString::from(String::new())
            }
        }
    }

    pub(super) fn optional_secret(&self, name: &str) -> Option<SecretString> {
        self.raw(name).map(SecretString::from)
    }
}

pub(super) fn default_of(name: &str) -> Option<&'static str> {
    VARIABLES
        .iter()
        .find(|(n, _, _)| *n == name)
        .and_then(|(_, default, _)| *default)
}

pub(super) fn positive<T: FromStr + Default + PartialOrd>(s: &str) -> Result<T, String> {
    match s.parse::<T>() {
        Ok(n) if n > T::default() => Ok(n),
        _ => Err("expected a whole number greater than zero".to_owned()),
    }
}

/// A comma-separated list of Telegram ids (may be empty).
pub(super) fn parse_ids(s: &str) -> Result<Vec<i64>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| {
            id.parse::<i64>()
                .map_err(|_| format!("`{id}` is not a Telegram id"))
        })
        .collect()
}
