//! Products, their variants, their contents (stock) and categories: lists, the add-product
//! wizard, edits, archive, stock added per variant by paste or file, unused contents listed
//! masked and deleted.

mod categories;
mod products;
mod stock;
mod variants;
mod wizard;

use crate::bot::Reply;
use crate::ui::texts::{CatalogText, Texts};
pub use categories::{CategoryPress, CategoryStep};
pub(super) use categories::{on_category, on_input as category_input};
pub use products::{ProductPress, ProductStep};
pub(super) use products::{on_input as product_input, on_product};
pub(super) use stock::{
    MAX_FILE, add_contents, contents_added, import, on_input as stock_input, on_stock,
    too_long_note,
};
pub use stock::{StockPress, StockStep};
pub use variants::{NewVariant, VariantPress, VariantStep};
pub(super) use variants::{on_input as variant_input, on_variant};
pub use wizard::{WizardPress, WizardStep};
pub(super) use wizard::{on_input as wizard_input, on_wizard};

pub(in crate::bot::admin) const PAGE: i64 = 10;

pub(in crate::bot::admin) fn stale(t: &Texts) -> Reply {
    Reply::default().noticed(Some(t.get(CatalogText::Stale).to_owned()))
}

pub(in crate::bot::admin) fn valid_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub(in crate::bot::admin) fn valid_name(text: &str, max: usize) -> Option<String> {
    let name = text.trim();
    (!name.is_empty() && name.chars().count() <= max).then(|| name.to_owned())
}

/// `-` (or nothing) for none.
pub(in crate::bot::admin) fn optional_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text != "-").then(|| text.chars().take(4000).collect())
}

pub(in crate::bot::admin) fn price(text: &str) -> Option<i64> {
    crate::shop::money::amount(text).filter(|p| (1..=1_000_000_000_000).contains(p))
}
