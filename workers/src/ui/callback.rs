//! What a button press asks for. Callback data is at most 64 bytes (Telegram's limit) and
//! stale data (a product since archived, a cart since changed, a page that no longer exists)
//! must still parse: the screen it leads to says what changed.

use super::codec::{Checked, Part, callbacks};
use super::texts::Locale;
pub use crate::shop::PayMethod;
pub use crate::shop::cart::Change;
use crate::shop::ids::{OrderId, ProductId, VariantId};

/// The catalog a list shows: one category, or every product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    All,
    Category(i64),
}

callbacks! {
    /// What a customer's button asks for.
    #[derive(Copy)]
    pub enum Callback = "" {
        /// The category picker.
        Categories = "cats",
        /// A page (from 0) of a shelf.
        List { shelf: Shelf, page: u32 } = "list",
        /// A product's detail, remembering the list page to go back to.
        Product { id: ProductId, shelf: Shelf, page: u32 } = "prod",
        /// One variant of a product, remembering the list page.
        Variant { id: VariantId, shelf: Shelf, page: u32 } = "var",
        /// The stock overview, refreshed.
        Stock = "stock",
        /// A quantity change from a variant's detail.
        Quantity { id: VariantId, change: Change, shelf: Shelf, page: u32 } = "qty",
        Cart = "cart",
        /// A quantity change from the cart.
        CartItem { id: VariantId, change: Change } = "item",
        EmptyCart = "empty",
        Voucher = "voucher",
        RemoveVoucher = "unvoucher",
        Checkout = "checkout",
        /// Pay for the cart as it was at `version` (a later change makes the button stale).
        Pay { method: PayMethod, version: i32 } = "pay",
        Orders { page: u32 } = "orders",
        Order { id: OrderId, page: u32 } = "order",
        /// Send an order's purchased contents again.
        Contents { id: OrderId } = "contents",
        /// Cancel an unpaid order (the button under its invoice).
        CancelOrder { id: OrderId } = "ocancel",
        /// Submit proof for a delivered product's terms.
        Terms { order: OrderId, product: ProductId } = "snk",
        Info = "info",
        Support = "support",
        EditName = "name",
        /// The language picker.
        Language = "lang",
        SetLanguage { locale: Locale } = "setlang",
    }
}

/// Every value of every field is a press some screen can offer.
impl Checked for Callback {}

impl Part for Shelf {
    fn put(&self, out: &mut String) {
        match self {
            Shelf::All => out.push_str("all"),
            Shelf::Category(id) => id.put(out),
        }
    }

    fn take(part: &str) -> Option<Self> {
        if part == "all" {
            Some(Shelf::All)
        } else {
            i64::take(part).map(Shelf::Category)
        }
    }
}

impl Part for Change {
    fn put(&self, out: &mut String) {
        match self {
            Change::Plus => out.push('p'),
            Change::Minus => out.push('m'),
            Change::Set(n) => {
                out.push('s');
                n.put(out);
            }
        }
    }

    fn take(part: &str) -> Option<Self> {
        match part {
            "p" => Some(Change::Plus),
            "m" => Some(Change::Minus),
            _ => u16::take(part.strip_prefix('s')?).map(Change::Set),
        }
    }
}

impl Part for PayMethod {
    fn put(&self, out: &mut String) {
        out.push_str(match self {
            PayMethod::Qris => "qris",
            PayMethod::Balance => "bal",
        });
    }

    fn take(part: &str) -> Option<Self> {
        match part {
            "qris" => Some(PayMethod::Qris),
            "bal" => Some(PayMethod::Balance),
            _ => None,
        }
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
                id: ProductId(i64::MAX),
                shelf: big,
                page: u32::MAX,
            },
            Callback::Variant {
                id: VariantId(i64::MAX),
                shelf: big,
                page: u32::MAX,
            },
            Callback::Quantity {
                id: VariantId(i64::MAX),
                change: Change::Set(u16::MAX),
                shelf: big,
                page: u32::MAX,
            },
            Callback::Quantity {
                id: VariantId(1),
                change: Change::Minus,
                shelf: Shelf::All,
                page: 0,
            },
            Callback::Cart,
            Callback::CartItem {
                id: VariantId(i64::MAX),
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
                id: OrderId(i64::MAX),
                page: u32::MAX,
            },
            Callback::Contents {
                id: OrderId(i64::MAX),
            },
            Callback::CancelOrder {
                id: OrderId(i64::MAX),
            },
            Callback::Terms {
                order: OrderId(i64::MAX),
                product: ProductId(i64::MAX),
            },
            Callback::Info,
            Callback::Support,
            Callback::EditName,
            Callback::Language,
            Callback::SetLanguage { locale: Locale::En },
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
