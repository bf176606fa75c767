//! What one unit of a variant costs a customer: the one rule for catalog, cart, summary and
//! checkout.
//!
//! A variant has a list price. Quantity tiers ("from 10: Rp 8.500 each") lower it for
//! everyone who buys at least the tier's quantity. A price group (reseller, member…) gives
//! its members their own price for the variant, or else a percentage off the list price.
//! The customer pays the lowest of the prices that apply to them, and the order line keeps
//! that unit price and which rule set it. Vouchers come after, on the subtotal.

use crate::Rupiah;

/// "From `min_quantity`: `unit_price` each".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub min_quantity: i32,
    pub unit_price: Rupiah,
}

/// What a customer's price group does for one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupPrice {
    /// The group's own price for this variant.
    Fixed(Rupiah),
    /// A percentage off the list price, rounded up to whole rupiah.
    PercentOff(i32),
}

impl GroupPrice {
    /// From the schema's columns: the group's price for the variant, else its percentage.
    pub fn from_columns(price: Option<i64>, percent_off: Option<i32>) -> Option<Self> {
        match (price, percent_off) {
            (Some(price), _) => Some(GroupPrice::Fixed(Rupiah(price))),
            (None, Some(percent)) => Some(GroupPrice::PercentOff(percent)),
            (None, None) => None,
        }
    }

    fn apply(self, list: Rupiah) -> Rupiah {
        match self {
            GroupPrice::Fixed(price) => price,
            GroupPrice::PercentOff(percent) => {
                let percent = i64::from(percent.clamp(0, 100));
                let kept = list.get().saturating_mul(100 - percent);
                Rupiah((kept + 99) / 100).max(Rupiah(1))
            }
        }
    }
}

/// Which rule set a unit price (`order_items.price_rule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRule {
    List,
    Tier,
    Group,
}

impl PriceRule {
    pub fn as_str(self) -> &'static str {
        match self {
            PriceRule::List => "list",
            PriceRule::Tier => "tier",
            PriceRule::Group => "group",
        }
    }
}

/// A unit price and the rule that set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPrice {
    pub price: Rupiah,
    pub rule: PriceRule,
}

/// The unit price of `quantity` units (1 for a price shown before anything is in the cart).
/// Ties go to the list price, then the group's: a rule is named only when it saves money.
pub fn unit_price(
    list: Rupiah,
    tiers: &[Tier],
    group: Option<GroupPrice>,
    quantity: i32,
) -> UnitPrice {
    let mut best = UnitPrice {
        price: list,
        rule: PriceRule::List,
    };
    if let Some(group) = group {
        let price = group.apply(list);
        if price < best.price {
            best = UnitPrice {
                price,
                rule: PriceRule::Group,
            };
        }
    }
    let tier = tiers
        .iter()
        .filter(|tier| tier.min_quantity <= quantity)
        .max_by_key(|tier| tier.min_quantity);
    if let Some(tier) = tier
        && tier.unit_price < best.price
    {
        best = UnitPrice {
            price: tier.unit_price,
            rule: PriceRule::Tier,
        };
    }
    best
}

/// Tiers as written by an admin: `10=8500, 50=8000` (quantity=price, comma or newline
/// separated). Quantities 2…1000, each once; prices below the list price and falling as the
/// quantity rises.
pub fn parse_tiers(input: &str, list: Rupiah) -> Result<Vec<Tier>, TierError> {
    let mut tiers = Vec::new();
    for part in input
        .split([',', '\n', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (quantity, price) = part
            .split_once('=')
            .ok_or_else(|| TierError::Shape(part.chars().take(40).collect()))?;
        let min_quantity: i32 = quantity
            .trim()
            .parse()
            .ok()
            .filter(|q| (2..=1000).contains(q))
            .ok_or_else(|| TierError::Quantity(quantity.trim().chars().take(20).collect()))?;
        let unit_price: Rupiah = price
            .trim()
            .parse()
            .map_err(|_| TierError::Price(price.trim().chars().take(20).collect()))?;
        if unit_price.get() <= 0 || unit_price >= list {
            return Err(TierError::NotLower(min_quantity));
        }
        tiers.push(Tier {
            min_quantity,
            unit_price,
        });
    }
    tiers.sort_by_key(|tier| tier.min_quantity);
    for pair in tiers.windows(2) {
        if pair[0].min_quantity == pair[1].min_quantity {
            return Err(TierError::Twice(pair[0].min_quantity));
        }
        if pair[1].unit_price >= pair[0].unit_price {
            return Err(TierError::NotFalling(pair[1].min_quantity));
        }
    }
    Ok(tiers)
}

/// Why a tier list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TierError {
    #[error("{0:?} is not quantity=price")]
    Shape(String),
    #[error("{0:?} is not a quantity from 2 to 1000")]
    Quantity(String),
    #[error("{0:?} is not an amount")]
    Price(String),
    #[error("the price from {0} is not below the list price")]
    NotLower(i32),
    #[error("quantity {0} is given twice")]
    Twice(i32),
    #[error("the price from {0} is not below the smaller tier's")]
    NotFalling(i32),
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIERS: [Tier; 2] = [
        Tier {
            min_quantity: 10,
            unit_price: Rupiah(8_500),
        },
        Tier {
            min_quantity: 50,
            unit_price: Rupiah(8_000),
        },
    ];

    #[test]
    fn a_tier_applies_from_its_quantity() {
        let list = Rupiah(10_000);
        assert_eq!(unit_price(list, &TIERS, None, 9).price, list);
        let at_12 = unit_price(list, &TIERS, None, 12);
        assert_eq!((at_12.price, at_12.rule), (Rupiah(8_500), PriceRule::Tier));
        assert_eq!(unit_price(list, &TIERS, None, 50).price, Rupiah(8_000));
    }

    #[test]
    fn the_lowest_price_that_applies_wins() {
        let list = Rupiah(10_000);
        let reseller = Some(GroupPrice::Fixed(Rupiah(9_000)));
        let one = unit_price(list, &TIERS, reseller, 1);
        assert_eq!((one.price, one.rule), (Rupiah(9_000), PriceRule::Group));
        assert_eq!(unit_price(list, &TIERS, reseller, 10).rule, PriceRule::Tier);
        let dearer = Some(GroupPrice::Fixed(Rupiah(12_000)));
        assert_eq!(unit_price(list, &[], dearer, 1).rule, PriceRule::List);
    }

    #[test]
    fn a_percentage_rounds_up_to_whole_rupiah() {
        let member = Some(GroupPrice::PercentOff(15));
        assert_eq!(
            unit_price(Rupiah(9_999), &[], member, 1).price,
            Rupiah(8_500)
        );
        assert_eq!(unit_price(Rupiah(1), &[], member, 1).rule, PriceRule::List);
    }

    #[test]
    fn tiers_are_read_as_admins_write_them() {
        let tiers = parse_tiers("50=8.000, 10=Rp 8.500", Rupiah(10_000)).expect("valid");
        assert_eq!(tiers, TIERS);
        assert_eq!(parse_tiers("", Rupiah(10_000)), Ok(vec![]));
        assert!(matches!(
            parse_tiers("10=11000", Rupiah(10_000)),
            Err(TierError::NotLower(10))
        ));
        assert!(matches!(
            parse_tiers("10=8000,50=8500", Rupiah(10_000)),
            Err(TierError::NotFalling(50))
        ));
        assert!(matches!(
            parse_tiers("1=5000", Rupiah(10_000)),
            Err(TierError::Quantity(_))
        ));
        assert!(matches!(
            parse_tiers("ten", Rupiah(10_000)),
            Err(TierError::Shape(_))
        ));
    }
}
