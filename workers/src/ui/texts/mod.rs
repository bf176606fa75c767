//! Every customer-facing text, per locale, in one place: a key, an Indonesian and an English
//! built-in. Admins override texts by key and locale in the `templates` table; [`Texts`]
//! loads the overrides once per update. Placeholders are `{name}`; values from users are
//! escaped by [`Texts::render`]'s callers with [`super::html::escape`].

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Id,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Id, Locale::En];

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

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "id" => Some(Locale::Id),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// Declares [`Text`]: each variant with its stable key and its built-in texts.
macro_rules! texts {
    ($($variant:ident $key:literal { id: $id:expr, en: $en:expr $(,)? })*) => {
        /// A text's key (stable: admins override texts by key and locale).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text { $($variant),* }

        impl Text {
            pub const ALL: &'static [Text] = &[$(Text::$variant),*];

            pub fn key(self) -> &'static str {
                match self { $(Text::$variant => $key),* }
            }

            /// The built-in text.
            pub fn default_text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Text::$variant, Locale::Id) => $id, (Text::$variant, Locale::En) => $en),*
                }
            }
        }
    };
}

mod table;

pub use table::Text;

impl Text {
    pub fn from_key(key: &str) -> Option<Text> {
        Text::ALL.iter().copied().find(|text| text.key() == key)
    }

    /// The placeholders of the built-in text, e.g. `["name", "store"]`.
    pub fn placeholders(self) -> Vec<&'static str> {
        placeholders_of(self.default_text(Locale::Id))
    }
}

/// The `{names}` in `body`, in order of first appearance.
pub fn placeholders_of(body: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                let name = &after[..close];
                if !names.contains(&name) {
                    names.push(name);
                }
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// Fill `{placeholders}` in one pass: a value that itself contains `{name}` stays as it is.
pub fn fill(body: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The texts for one customer: built-ins with the admins' overrides, in the customer's locale.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    locale: Locale,
    overrides: HashMap<(Text, Locale), String>,
}

impl Texts {
    /// The built-in texts only.
    pub fn builtin(locale: Locale) -> Self {
        Texts {
            locale,
            overrides: HashMap::new(),
        }
    }

    /// The built-ins with every override stored in `templates`.
    pub async fn load(conn: &mut PgConnection, locale: Locale) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query!("SELECT key, locale, body FROM templates")
            .fetch_all(&mut *conn)
            .await?;
        let overrides = rows
            .into_iter()
            .filter_map(|row| {
                let text = Text::from_key(&row.key)?;
                Some(((text, Locale::parse(&row.locale)?), row.body))
            })
            .collect();
        Ok(Texts { locale, overrides })
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The same texts in another locale.
    pub fn in_locale(&self, locale: Locale) -> Self {
        Texts {
            locale,
            overrides: self.overrides.clone(),
        }
    }

    pub fn get(&self, text: Text) -> &str {
        self.get_in(text, self.locale)
    }

    pub fn get_in(&self, text: Text, locale: Locale) -> &str {
        self.overrides
            .get(&(text, locale))
            .map_or_else(|| text.default_text(locale), String::as_str)
    }

    /// `text` with its placeholders filled.
    pub fn render(&self, text: Text, values: &[(&str, &str)]) -> String {
        fill(self.get(text), values)
    }

    /// Whether `input` is `text` in any locale (a menu a customer still sees may be from
    /// before they switched language).
    pub fn matches(&self, text: Text, input: &str) -> bool {
        Locale::ALL
            .into_iter()
            .any(|locale| self.get_in(text, locale) == input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once() {
        let text = Texts::builtin(Locale::En).render(
            Text::Welcome,
            &[
                ("name", "{store}"),
                ("store", "Toko"),
                ("customers", "3"),
                ("completed", "9"),
            ],
        );
        assert!(text.contains("Hi <b>{store}</b>"), "{text}");
        assert!(text.contains("Welcome to <b>Toko</b>"), "{text}");
        assert!(text.contains("Completed orders: <b>9</b>"));
    }

    #[test]
    fn unknown_braces_are_left_alone() {
        assert_eq!(fill("a {b} {c d} {", &[("x", "y")]), "a {b} {c d} {");
        assert_eq!(fill("{x}{x}", &[("x", "1")]), "11");
    }

    #[test]
    fn keys_are_unique_and_locales_share_placeholders() {
        let mut keys = std::collections::HashSet::new();
        for text in Text::ALL {
            assert!(keys.insert(text.key()), "duplicate key {}", text.key());
            let mut id = placeholders_of(text.default_text(Locale::Id));
            let mut en = placeholders_of(text.default_text(Locale::En));
            id.sort_unstable();
            en.sort_unstable();
            assert_eq!(id, en, "{}", text.key());
            assert_eq!(Text::from_key(text.key()), Some(*text));
        }
    }

    #[test]
    fn overrides_win_in_their_locale_only() {
        let mut texts = Texts::builtin(Locale::Id);
        texts
            .overrides
            .insert((Text::MenuCart, Locale::Id), "🛒 Troli".to_owned());
        assert_eq!(texts.get(Text::MenuCart), "🛒 Troli");
        assert_eq!(texts.get_in(Text::MenuCart, Locale::En), "🛒 Cart");
        assert!(texts.matches(Text::MenuCart, "🛒 Cart"));
        assert!(!texts.matches(Text::MenuCart, "🛒 Keranjang"));
    }
}
