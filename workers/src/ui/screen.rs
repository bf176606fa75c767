//! What every screen is made of.

use super::callback::Callback;
use super::html::escape;
use super::message::Button;
use super::texts::{Text, Texts};
use crate::shop::money::Rupiah;

/// A screen: HTML text and the buttons under it.
pub struct Screen {
    pub text: String,
    pub buttons: Vec<Vec<Button>>,
}

/// An amount as the shop writes it (see [`Rupiah`]'s `Display`), for a template's value.
pub fn rupiah(amount: impl Into<Rupiah>) -> String {
    amount.into().to_string()
}

/// ◀️ / ▶️ for page `page` (from 0) of `pages`, each leading to `to(page)`; `None` when there
/// is only one page.
pub fn paging(page: u32, pages: i64, to: impl Fn(u32) -> Callback) -> Option<Vec<Button>> {
    let mut row = Vec::new();
    if page > 0 {
        row.push(Button::callback("◀️", to(page - 1).encode()));
    }
    if i64::from(page) + 1 < pages {
        row.push(Button::callback("▶️", to(page + 1).encode()));
    }
    (!row.is_empty()).then_some(row)
}

/// "n. name ×quantity = total" for a cart or order line.
pub fn item_line(t: &Texts, n: usize, name: &str, quantity: i32, unit_price: i64) -> String {
    t.render(
        Text::CartLine,
        &[
            ("n", &n.to_string()),
            ("name", &escape(name)),
            ("quantity", &quantity.to_string()),
            (
                "total",
                &rupiah(unit_price.saturating_mul(i64::from(quantity))),
            ),
        ],
    )
}
