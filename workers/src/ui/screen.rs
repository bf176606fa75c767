//! What every screen is made of, and how money is written.

use super::callback::Callback;
use super::html::escape;
use super::message::Button;
use super::texts::{Text, Texts};

/// A screen: HTML text and the buttons under it.
pub struct Screen {
    pub text: String,
    pub buttons: Vec<Vec<Button>>,
}

/// `Rp 1.250.000`: whole rupiah with dots between thousands.
pub fn rupiah(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{}Rp {grouped}", if amount < 0 { "-" } else { "" })
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

#[cfg(test)]
mod tests {
    use super::rupiah;

    #[test]
    fn rupiah_groups_thousands_with_dots() {
        assert_eq!(rupiah(0), "Rp 0");
        assert_eq!(rupiah(999), "Rp 999");
        assert_eq!(rupiah(10_000), "Rp 10.000");
        assert_eq!(rupiah(1_250_000), "Rp 1.250.000");
        assert_eq!(rupiah(-5_000), "-Rp 5.000");
    }
}
