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
        }
    }

    /// The built-in text.
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
