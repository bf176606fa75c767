//! Vouchers: the one place that decides whether a voucher applies to a cart and what it
//! takes off. Uses count the orders that carry the voucher and are not expired or
//! cancelled, so an order awaiting payment holds its use.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::JobError;
use crate::shop::ids::UserId;

#[derive(Debug, Clone)]
pub struct Voucher {
    pub id: i64,
    pub code: String,
    kind: String,
    value: i64,
    min_order: i64,
    max_uses: Option<i32>,
    max_uses_per_user: Option<i32>,
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
    is_active: bool,
}

/// Why a voucher does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    Unknown,
    Inactive,
    NotYet(DateTime<Utc>),
    Expired,
    MinOrder(i64),
    UsedUp,
    UsedUpForYou(i64),
}

/// The amount a voucher takes off `subtotal`: a percentage rounded down, or a flat amount;
/// never more than the subtotal.
pub fn discount(kind: &str, value: i64, subtotal: i64) -> i64 {
    let off = if kind == "percent" {
        subtotal.saturating_mul(value.clamp(0, 100)) / 100
    } else {
        value
    };
    off.clamp(0, subtotal.max(0))
}

/// A code as customers type it: trimmed and upper-cased; `None` when it cannot be a code.
pub fn normalise(input: &str) -> Option<String> {
    let code = input.trim().to_uppercase();
    let valid = (3..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    valid.then_some(code)
}

/// How a voucher is looked up: by the code a customer typed, or by the id a cart holds.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Code(&'a str),
    Id(i64),
}

pub async fn find(tx: &mut PgConnection, key: Key<'_>) -> Result<Option<Voucher>, JobError> {
    let (code, id) = match key {
        Key::Code(code) => (Some(code), None),
        Key::Id(id) => (None, Some(id)),
    };
    Ok(sqlx::query_as!(
        Voucher,
        r#"SELECT id, code, kind, value, min_order, max_uses, max_uses_per_user, valid_from,
                  valid_until, is_active
           FROM vouchers WHERE code = $1 OR id = $2"#,
        code,
        id,
    )
    .fetch_optional(&mut *tx)
    .await?)
}

/// The discount `voucher` gives `user_id` on `subtotal` now, or why it gives none.
pub async fn check(
    tx: &mut PgConnection,
    voucher: &Voucher,
    user_id: UserId,
    subtotal: i64,
) -> Result<Result<i64, Rejection>, JobError> {
    let now = Utc::now();
    if !voucher.is_active {
        return Ok(Err(Rejection::Inactive));
    }
    if let Some(from) = voucher.valid_from.filter(|from| *from > now) {
        return Ok(Err(Rejection::NotYet(from)));
    }
    if voucher.valid_until.is_some_and(|until| until <= now) {
        return Ok(Err(Rejection::Expired));
    }
    if subtotal < voucher.min_order {
        return Ok(Err(Rejection::MinOrder(voucher.min_order)));
    }
    let uses = sqlx::query!(
        r#"
        SELECT count(*) AS "total!", count(*) FILTER (WHERE user_id = $2) AS "mine!"
        FROM orders
        WHERE voucher_id = $1 AND status IN ('awaiting_payment', 'paid', 'delivered', 'refunded')
        "#,
        voucher.id,
        user_id.get(),
    )
    .fetch_one(&mut *tx)
    .await?;
    if voucher
        .max_uses
        .is_some_and(|max| uses.total >= i64::from(max))
    {
        return Ok(Err(Rejection::UsedUp));
    }
    if let Some(max) = voucher.max_uses_per_user
        && uses.mine >= i64::from(max)
    {
        return Ok(Err(Rejection::UsedUpForYou(uses.mine)));
    }
    Ok(Ok(discount(&voucher.kind, voucher.value, subtotal)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discounts_never_exceed_the_subtotal() {
        assert_eq!(discount("percent", 10, 25_000), 2_500);
        assert_eq!(discount("percent", 15, 9_999), 1_499);
        assert_eq!(discount("percent", 100, 5_000), 5_000);
        assert_eq!(discount("flat", 5_000, 25_000), 5_000);
        assert_eq!(discount("flat", 50_000, 25_000), 25_000);
        assert_eq!(discount("percent", 50, i64::MAX), i64::MAX / 100);
    }

    #[test]
    fn codes_are_normalised_or_refused() {
        assert_eq!(normalise("  hemat10 "), Some("HEMAT10".to_owned()));
        assert_eq!(normalise("ab"), None);
        assert_eq!(normalise("'; DROP TABLE vouchers;--"), None);
        assert_eq!(normalise(&"A".repeat(33)), None);
    }
}
