//! Money: whole rupiah, the only currency the shop keeps.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An amount in whole rupiah (stored as BIGINT). Written the shop's way, `Rp 35.000`; read
/// from what people type: `Rp 35.000`, `35.000` or `35000`.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct Rupiah(pub i64);

impl Rupiah {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl From<i64> for Rupiah {
    fn from(amount: i64) -> Self {
        Rupiah(amount)
    }
}

/// `Rp 1.250.000`: dots between thousands, a minus in front of a negative amount.
impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}Rp {grouped}")
    }
}

/// Text that is not an amount of rupiah.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an amount: write it as 35000, 35.000 or Rp 35.000")]
pub struct NotAnAmount(pub String);

impl FromStr for Rupiah {
    type Err = NotAnAmount;

    fn from_str(input: &str) -> Result<Self, NotAnAmount> {
        let refuse = || NotAnAmount(input.chars().take(40).collect());
        let text = input.trim();
        let text = match text.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("rp") => text[2..].trim_start(),
            _ => text,
        };
        let groups: Vec<&str> = text.split('.').collect();
        let digits = |group: &str| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit());
        let well_grouped = match groups.split_first() {
            Some((first, [])) => digits(first),
            Some((first, rest)) => {
                digits(first)
                    && first.len() <= 3
                    && rest.iter().all(|group| group.len() == 3 && digits(group))
            }
            None => false,
        };
        if !well_grouped {
            return Err(refuse());
        }
        groups.concat().parse().map(Rupiah).map_err(|_| refuse())
    }
}

/// An amount as people type it, as whole rupiah; `None` for anything else.
pub fn amount(input: &str) -> Option<i64> {
    input.parse::<Rupiah>().ok().map(Rupiah::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_the_shops_way() {
        assert_eq!(Rupiah(0).to_string(), "Rp 0");
        assert_eq!(Rupiah(999).to_string(), "Rp 999");
        assert_eq!(Rupiah(35_000).to_string(), "Rp 35.000");
        assert_eq!(Rupiah(1_250_000).to_string(), "Rp 1.250.000");
        assert_eq!(Rupiah(-5_000).to_string(), "-Rp 5.000");
    }

    #[test]
    fn amounts_are_read_as_people_type_them_and_nothing_else() {
        for typed in [
            "Rp 35.000",
            "35.000",
            "35000",
            "rp35000",
            " Rp 35.000 ",
            "RP 35000",
        ] {
            assert_eq!(typed.parse(), Ok(Rupiah(35_000)), "{typed}");
        }
        for refused in [
            "",
            "Rp",
            "35.00",
            "3.5000",
            "35,000",
            "-35000",
            "35k",
            "1.000.00",
            ".000",
            "35.000.",
            "Rp 35 000",
            "99999999999999999999",
        ] {
            assert!(
                refused.parse::<Rupiah>().is_err(),
                "{refused:?} was accepted"
            );
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        for amount in [0, 7, 1_000, 35_000, 1_250_000, 1_000_000_000_000] {
            assert_eq!(Rupiah(amount).to_string().parse(), Ok(Rupiah(amount)));
        }
    }
}
