//! What a button press asks for. Callback data is at most 64 bytes (Telegram's limit) and
//! stale data (a product since archived, a cart since changed, a page that no longer exists)
//! must still parse: the screen it leads to says what changed.

use super::texts::Locale;
pub use crate::shop::PayMethod;
pub use crate::shop::cart::Change;

/// The catalog a list shows: one category, or every product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    All,
    Category(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callback {
    /// The category picker.
    Categories,
    /// A page (from 0) of a shelf.
    List {
        shelf: Shelf,
        page: u32,
    },
    /// A product's detail, remembering the list page to go back to.
    Product {
        id: i64,
        shelf: Shelf,
        page: u32,
    },
    /// The stock overview, refreshed.
    Stock,
    /// A quantity change from a product's detail.
    Quantity {
        id: i64,
        change: Change,
        shelf: Shelf,
        page: u32,
    },
    Cart,
    /// A quantity change from the cart.
    CartItem {
        id: i64,
        change: Change,
    },
    EmptyCart,
    Voucher,
    RemoveVoucher,
    Checkout,
    /// Pay for the cart as it was at `version` (a later change makes the button stale).
    Pay {
        method: PayMethod,
        version: i32,
    },
    Orders {
        page: u32,
    },
    Order {
        id: i64,
        page: u32,
    },
    /// Send an order's purchased contents again.
    Contents {
        id: i64,
    },
    /// Cancel an unpaid order (the button under its invoice).
    CancelOrder {
        id: i64,
    },
    /// Submit proof for a delivered product's terms.
    Terms {
        order: i64,
        product: i64,
    },
    Info,
    Support,
    EditName,
    Language,
    SetLanguage(Locale),
}

fn shelf_code(shelf: Shelf) -> String {
    match shelf {
        Shelf::All => "all".to_owned(),
        Shelf::Category(id) => id.to_string(),
    }
}

fn parse_shelf(s: &str) -> Option<Shelf> {
    if s == "all" {
        Some(Shelf::All)
    } else {
        s.parse().ok().map(Shelf::Category)
    }
}

fn change_code(change: Change) -> String {
    match change {
        Change::Plus => "p".to_owned(),
        Change::Minus => "m".to_owned(),
        Change::Set(n) => format!("s{n}"),
    }
}

fn parse_change(s: &str) -> Option<Change> {
    match s {
        "p" => Some(Change::Plus),
        "m" => Some(Change::Minus),
        _ => s.strip_prefix('s')?.parse().ok().map(Change::Set),
    }
}

impl Callback {
    pub fn encode(self) -> String {
        match self {
            Callback::Categories => "cats".to_owned(),
            Callback::Stock => "stock".to_owned(),
            Callback::List { shelf, page } => format!("list:{}:{page}", shelf_code(shelf)),
            Callback::Product { id, shelf, page } => {
                format!("prod:{id}:{}:{page}", shelf_code(shelf))
            }
            Callback::Quantity {
                id,
                change,
                shelf,
                page,
            } => format!(
                "qty:{id}:{}:{}:{page}",
                change_code(change),
                shelf_code(shelf)
            ),
            Callback::Cart => "cart".to_owned(),
            Callback::CartItem { id, change } => format!("item:{id}:{}", change_code(change)),
            Callback::EmptyCart => "empty".to_owned(),
            Callback::Voucher => "voucher".to_owned(),
            Callback::RemoveVoucher => "unvoucher".to_owned(),
            Callback::Checkout => "checkout".to_owned(),
            Callback::Pay { method, version } => {
                let method = match method {
                    PayMethod::Qris => "qris",
                    PayMethod::Balance => "bal",
                };
                format!("pay:{method}:{version}")
            }
            Callback::Orders { page } => format!("orders:{page}"),
            Callback::Order { id, page } => format!("order:{id}:{page}"),
            Callback::Contents { id } => format!("contents:{id}"),
            Callback::CancelOrder { id } => format!("ocancel:{id}"),
            Callback::Terms { order, product } => format!("snk:{order}:{product}"),
            Callback::Info => "info".to_owned(),
            Callback::Support => "support".to_owned(),
            Callback::EditName => "name".to_owned(),
            Callback::Language => "lang".to_owned(),
            Callback::SetLanguage(locale) => format!("lang:{}", locale.as_str()),
        }
    }

    pub fn parse(data: &str) -> Option<Self> {
        let parts: Vec<&str> = data.split(':').collect();
        Some(match parts.as_slice() {
            ["cats"] => Callback::Categories,
            ["stock"] => Callback::Stock,
            ["list", s, page] => Callback::List {
                shelf: parse_shelf(s)?,
                page: page.parse().ok()?,
            },
            ["prod", id, s, page] => Callback::Product {
                id: id.parse().ok()?,
                shelf: parse_shelf(s)?,
                page: page.parse().ok()?,
            },
            ["qty", id, change, s, page] => Callback::Quantity {
                id: id.parse().ok()?,
                change: parse_change(change)?,
                shelf: parse_shelf(s)?,
                page: page.parse().ok()?,
            },
            ["cart"] => Callback::Cart,
            ["item", id, change] => Callback::CartItem {
                id: id.parse().ok()?,
                change: parse_change(change)?,
            },
            ["empty"] => Callback::EmptyCart,
            ["voucher"] => Callback::Voucher,
            ["unvoucher"] => Callback::RemoveVoucher,
            ["checkout"] => Callback::Checkout,
            ["pay", method, version] => Callback::Pay {
                method: match *method {
                    "qris" => PayMethod::Qris,
                    "bal" => PayMethod::Balance,
                    _ => return None,
                },
                version: version.parse().ok()?,
            },
            ["orders", page] => Callback::Orders {
                page: page.parse().ok()?,
            },
            ["order", id, page] => Callback::Order {
                id: id.parse().ok()?,
                page: page.parse().ok()?,
            },
            ["contents", id] => Callback::Contents {
                id: id.parse().ok()?,
            },
            ["ocancel", id] => Callback::CancelOrder {
                id: id.parse().ok()?,
            },
            ["snk", order, product] => Callback::Terms {
                order: order.parse().ok()?,
                product: product.parse().ok()?,
            },
            ["info"] => Callback::Info,
            ["support"] => Callback::Support,
            ["name"] => Callback::EditName,
            ["lang"] => Callback::Language,
            ["lang", code] => Callback::SetLanguage(Locale::parse(code)?),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_callback_round_trips_within_64_bytes() {
        let big = Shelf::Category(i64::MAX);
        let all = [
            Callback::Categories,
            Callback::Stock,
            Callback::List {
                shelf: Shelf::All,
                page: 3,
            },
            Callback::List {
                shelf: big,
                page: u32::MAX,
            },
            Callback::Product {
                id: i64::MAX,
                shelf: big,
                page: u32::MAX,
            },
            Callback::Quantity {
                id: i64::MAX,
                change: Change::Set(u16::MAX),
                shelf: big,
                page: u32::MAX,
            },
            Callback::Quantity {
                id: 1,
                change: Change::Minus,
                shelf: Shelf::All,
                page: 0,
            },
            Callback::Cart,
            Callback::CartItem {
                id: i64::MAX,
                change: Change::Plus,
            },
            Callback::EmptyCart,
            Callback::Voucher,
            Callback::RemoveVoucher,
            Callback::Checkout,
            Callback::Pay {
                method: PayMethod::Qris,
                version: i32::MIN,
            },
            Callback::Pay {
                method: PayMethod::Balance,
                version: i32::MAX,
            },
            Callback::Orders { page: u32::MAX },
            Callback::Order {
                id: i64::MAX,
                page: u32::MAX,
            },
            Callback::Contents { id: i64::MAX },
            Callback::CancelOrder { id: i64::MAX },
            Callback::Terms {
                order: i64::MAX,
                product: i64::MAX,
            },
            Callback::Info,
            Callback::Support,
            Callback::EditName,
            Callback::Language,
            Callback::SetLanguage(Locale::En),
        ];
        for callback in all {
            let data = callback.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Callback::parse(&data), Some(callback));
        }
    }

    #[test]
    fn forged_or_unknown_data_parses_to_nothing() {
        for data in [
            "",
            "prod",
            "prod:x:all:0",
            "list:all",
            "admin:delete:1",
            "cats:1",
            "qty:1:x:all:0",
            "qty:1:s-1:all:0",
            "pay:card:1",
            "lang:fr",
            "order:1",
        ] {
            assert_eq!(Callback::parse(data), None, "{data}");
        }
    }
}
