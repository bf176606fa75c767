//! Every customer-facing text, per locale, in one place. Placeholders are `{name}`; values
//! from users are escaped by [`render`]'s callers with [`crate::telegram::html::escape`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Id,
    En,
}

impl Locale {
    /// Indonesian unless Telegram says the user's app speaks English.
    pub fn from_language(code: Option<&str>) -> Self {
        match code {
            Some(code) if code.starts_with("en") => Locale::En,
            _ => Locale::Id,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Id => "id",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Self {
        if code == "en" { Locale::En } else { Locale::Id }
    }
}

/// A text's key (stable: admins will override texts by key and locale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Welcome,
    NotUnderstood,
    Blocked,
    MenuProducts,
    MenuStock,
    MenuInfo,
    MenuHowTo,
    MenuAdmin,
    ButtonGone,
    Categories,
    AllProducts,
    NoProducts,
    ListHeader,
    ProductLine,
    ProductDetail,
    ProductGone,
    Back,
    StockHeader,
    StockLine,
    Refresh,
}

impl Text {
    pub fn key(self) -> &'static str {
        match self {
            Text::Welcome => "welcome",
            Text::NotUnderstood => "not_understood",
            Text::Blocked => "blocked",
            Text::MenuProducts => "menu.products",
            Text::MenuStock => "menu.stock",
            Text::MenuInfo => "menu.info",
            Text::MenuHowTo => "menu.how_to",
            Text::MenuAdmin => "menu.admin",
            Text::ButtonGone => "button_gone",
            Text::Categories => "catalog.categories",
            Text::AllProducts => "catalog.all",
            Text::NoProducts => "catalog.empty",
            Text::ListHeader => "catalog.list_header",
            Text::ProductLine => "catalog.product_line",
            Text::ProductDetail => "catalog.product_detail",
            Text::ProductGone => "catalog.product_gone",
            Text::Back => "button.back",
            Text::StockHeader => "stock.header",
            Text::StockLine => "stock.line",
            Text::Refresh => "button.refresh",
        }
    }

    /// The built-in text.
    #[rustfmt::skip]
    pub fn default_text(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Text::Welcome, Locale::Id) => {
                "Hai <b>{name}</b>! 👋\nSelamat datang di <b>{store}</b>.\n\n👥 Pelanggan: <b>{customers}</b>\n✅ Transaksi tuntas: <b>{completed}</b>\n\nPilih menu di bawah untuk mulai belanja."
            }
            (Text::Welcome, Locale::En) => {
                "Hi <b>{name}</b>! 👋\nWelcome to <b>{store}</b>.\n\n👥 Customers: <b>{customers}</b>\n✅ Completed orders: <b>{completed}</b>\n\nPick a menu below to start shopping."
            }
            (Text::NotUnderstood, Locale::Id) => {
                "Maaf, aku belum paham pesan itu. Pilih salah satu menu di bawah ya. 🙏"
            }
            (Text::NotUnderstood, Locale::En) => {
                "Sorry, I didn't understand that. Please pick one of the menus below. 🙏"
            }
            (Text::Blocked, Locale::Id) => {
                "❌ Akun kamu sedang diblokir. Hubungi admin jika menurutmu ini keliru."
            }
            (Text::Blocked, Locale::En) => {
                "❌ Your account is blocked. Contact an admin if you think this is a mistake."
            }
            (Text::MenuProducts, Locale::Id) => "🛍 Semua Produk",
            (Text::MenuProducts, Locale::En) => "🛍 All Products",
            (Text::MenuStock, Locale::Id) => "🏷 Cek Stok",
            (Text::MenuStock, Locale::En) => "🏷 Stock",
            (Text::MenuInfo, Locale::Id) => "ℹ️ Informasi",
            (Text::MenuInfo, Locale::En) => "ℹ️ Info",
            (Text::MenuHowTo, Locale::Id) => "📘 Cara Order",
            (Text::MenuHowTo, Locale::En) => "📘 How to Order",
            (Text::MenuAdmin, Locale::Id) => "⚙️ Menu Admin",
            (Text::MenuAdmin, Locale::En) => "⚙️ Admin Menu",
            (Text::ButtonGone, Locale::Id) => {
                "Tombol ini sudah tidak berlaku. Silakan buka menu lagi."
            }
            (Text::ButtonGone, Locale::En) => {
                "This button is no longer valid. Please open the menu again."
            }
            (Text::Categories, Locale::Id) => "🗂 <b>Pilih kategori</b>",
            (Text::Categories, Locale::En) => "🗂 <b>Pick a category</b>",
            (Text::AllProducts, Locale::Id) => "🛍 Semua produk",
            (Text::AllProducts, Locale::En) => "🛍 All products",
            (Text::NoProducts, Locale::Id) => "Belum ada produk yang tersedia saat ini. Cek lagi nanti ya!",
            (Text::NoProducts, Locale::En) => "No products are available right now. Please check again later!",
            (Text::ListHeader, Locale::Id) => "<b>{shelf}</b> — halaman {page}/{pages}",
            (Text::ListHeader, Locale::En) => "<b>{shelf}</b> — page {page}/{pages}",
            (Text::ProductLine, Locale::Id) => "{n}. <b>{name}</b> — {price} (stok {stock})",
            (Text::ProductLine, Locale::En) => "{n}. <b>{name}</b> — {price} ({stock} in stock)",
            (Text::ProductDetail, Locale::Id) => "<b>{name}</b>\n\n💰 Harga: <b>{price}</b>\n📦 Stok: {stock}\n🔥 Terjual: {sold}\n🗂 Kategori: {category}\n\n{description}",
            (Text::ProductDetail, Locale::En) => "<b>{name}</b>\n\n💰 Price: <b>{price}</b>\n📦 Stock: {stock}\n🔥 Sold: {sold}\n🗂 Category: {category}\n\n{description}",
            (Text::ProductGone, Locale::Id) => "Produk ini sudah tidak tersedia. Silakan pilih produk lain.",
            (Text::ProductGone, Locale::En) => "This product is no longer available. Please pick another one.",
            (Text::Back, Locale::Id) => "⬅️ Kembali",
            (Text::Back, Locale::En) => "⬅️ Back",
            (Text::StockHeader, Locale::Id) => "🏷 <b>Stok produk</b> (per {time})",
            (Text::StockHeader, Locale::En) => "🏷 <b>Product stock</b> (as of {time})",
            (Text::StockLine, Locale::Id) => "— {name} ➜ <b>{stock}x</b>",
            (Text::StockLine, Locale::En) => "— {name} ➜ <b>{stock}x</b>",
            (Text::Refresh, Locale::Id) => "🔄 Refresh",
            (Text::Refresh, Locale::En) => "🔄 Refresh",
        }
    }
}

/// Fill `{placeholders}` of `text` in `locale`.
pub fn render(text: Text, locale: Locale, values: &[(&str, &str)]) -> String {
    let mut out = text.default_text(locale).to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let text = render(
            Text::Welcome,
            Locale::En,
            &[
                ("name", "Ana"),
                ("store", "Toko"),
                ("customers", "3"),
                ("completed", "9"),
            ],
        );
        assert!(text.contains("Hi <b>Ana</b>"));
        assert!(text.contains("Completed orders: <b>9</b>"));
        assert!(!text.contains('{'));
    }
}
