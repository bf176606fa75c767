//! Every customer-facing text, per locale, in one place: a key, an Indonesian and an English
//! built-in. Admins override texts by key and locale in the `templates` table; [`Texts`]
//! reads the overrides from the process's copy ([`crate::cache`]), or from the database when
//! there is none. Placeholders are `{name}`; values from users are
//! escaped by [`Texts::render`]'s callers with [`super::html::escape`].

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::cache::Cached;

type Overrides = HashMap<(&'static str, Locale), String>;

/// The process's copy of `templates`.
static OVERRIDES: Cached<Overrides> = Cached::new();

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

/// Declares a table of texts: an enum whose variants each carry a stable key and their
/// built-in Indonesian and English texts.
macro_rules! texts {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident $key:literal { id: $id:expr, en: $en:expr $(,)? })* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
        }

        impl $crate::ui::texts::Template for $name {
            fn key(self) -> &'static str {
                match self { $($name::$variant => $key),* }
            }

            fn default_text(self, locale: $crate::ui::texts::Locale) -> &'static str {
                use $crate::ui::texts::Locale;
                match (self, locale) {
                    $(($name::$variant, Locale::Id) => $id, ($name::$variant, Locale::En) => $en),*
                }
            }
        }
    };
}

mod admin;
mod pricing;
mod table;

pub use admin::{CatalogText, DashText, OpsText, SalesText};
pub use pricing::PriceText;
pub use table::Text;

/// A text with a stable key and built-in texts per locale: one of the tables' variants.
pub trait Template: Copy {
    fn key(self) -> &'static str;

    /// The built-in text.
    fn default_text(self, locale: Locale) -> &'static str;

    /// The placeholders of the built-in text, e.g. `["name", "store"]`.
    fn placeholders(self) -> Vec<&'static str> {
        placeholders_of(self.default_text(Locale::Id))
    }
}

/// One editable text of any table, as the 📝 Texts screens list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    key: &'static str,
    id: &'static str,
    en: &'static str,
}

impl Template for Entry {
    fn key(self) -> &'static str {
        self.key
    }

    fn default_text(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Id => self.id,
            Locale::En => self.en,
        }
    }
}

impl Entry {
    fn of(text: impl Template) -> Entry {
        Entry {
            key: text.key(),
            id: text.default_text(Locale::Id),
            en: text.default_text(Locale::En),
        }
    }

    /// Every text of every table: customers' first, then the admin screens'.
    pub fn all() -> &'static [Entry] {
        static ALL: std::sync::LazyLock<Vec<Entry>> = std::sync::LazyLock::new(|| {
            let mut all: Vec<Entry> = Text::ALL.iter().copied().map(Entry::of).collect();
            all.extend(CatalogText::ALL.iter().copied().map(Entry::of));
            all.extend(SalesText::ALL.iter().copied().map(Entry::of));
            all.extend(OpsText::ALL.iter().copied().map(Entry::of));
            all.extend(DashText::ALL.iter().copied().map(Entry::of));
            all.extend(PriceText::ALL.iter().copied().map(Entry::of));
            all
        });
        &ALL
    }

    pub fn from_key(key: &str) -> Option<Entry> {
        Entry::all().iter().copied().find(|entry| entry.key == key)
    }

    /// Whether admins rather than customers read it.
    pub fn for_admins(self) -> bool {
        self.key.starts_with("admin.")
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

/// Owned placeholder values as [`Texts::render`] takes them.
pub fn borrowed<'a>(values: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    values.iter().map(|(n, v)| (*n, v.as_str())).collect()
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

async fn read_overrides(conn: &mut PgConnection) -> Result<Overrides, sqlx::Error> {
    let rows = sqlx::query!("SELECT key, locale, body FROM templates")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let entry = Entry::from_key(&row.key)?;
            Some(((entry.key, Locale::parse(&row.locale)?), row.body))
        })
        .collect())
}

/// The texts for one customer: built-ins with the admins' overrides, in the customer's locale.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    locale: Locale,
    overrides: Arc<Overrides>,
}

impl Texts {
    /// The built-in texts only.
    pub fn builtin(locale: Locale) -> Self {
        Texts {
            locale,
            overrides: Arc::default(),
        }
    }

    /// The built-ins with every override stored in `templates`, from the process's copy.
    pub async fn load(conn: &mut PgConnection, locale: Locale) -> Result<Self, sqlx::Error> {
        let overrides = OVERRIDES.get_or_load(read_overrides(conn)).await?;
        Ok(Texts { locale, overrides })
    }

    /// The same from the database, for a transaction that has just changed `templates` (its
    /// change is not in the process's copy before it commits).
    pub async fn load_fresh(conn: &mut PgConnection, locale: Locale) -> Result<Self, sqlx::Error> {
        let overrides = Arc::new(read_overrides(conn).await?);
        Ok(Texts { locale, overrides })
    }

    /// The texts in the locale of the user with `telegram_id` (Indonesian for one unknown).
    pub async fn of_user(conn: &mut PgConnection, telegram_id: i64) -> Result<Self, sqlx::Error> {
        let locale = sqlx::query_scalar!(
            "SELECT locale FROM users WHERE telegram_id = $1",
            telegram_id
        )
        .fetch_optional(&mut *conn)
        .await?
        .and_then(|code| Locale::parse(&code))
        .unwrap_or_default();
        Texts::load(conn, locale).await
    }

    /// The locale each of `readers` reads (Telegram ids, in their order; Indonesian for one
    /// the bot does not know yet), in one query.
    pub async fn locales_of(
        conn: &mut PgConnection,
        readers: &[i64],
    ) -> Result<Vec<(i64, Locale)>, sqlx::Error> {
        let known = sqlx::query!(
            "SELECT telegram_id, locale FROM users WHERE telegram_id = ANY($1)",
            readers
        )
        .fetch_all(&mut *conn)
        .await?;
        Ok(readers
            .iter()
            .map(|reader| {
                let locale = known
                    .iter()
                    .find(|row| row.telegram_id == *reader)
                    .and_then(|row| Locale::parse(&row.locale))
                    .unwrap_or_default();
                (*reader, locale)
            })
            .collect())
    }

    /// `text` with its placeholders filled, in `locale`.
    pub fn render_in(
        &self,
        text: impl Template,
        locale: Locale,
        values: &[(&str, &str)],
    ) -> String {
        fill(self.get_in(text, locale), values)
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

    pub fn get(&self, text: impl Template) -> &str {
        self.get_in(text, self.locale)
    }

    pub fn get_in(&self, text: impl Template, locale: Locale) -> &str {
        self.overrides
            .get(&(text.key(), locale))
            .map_or_else(|| text.default_text(locale), String::as_str)
    }

    /// `text` with its placeholders filled.
    pub fn render(&self, text: impl Template, values: &[(&str, &str)]) -> String {
        fill(self.get(text), values)
    }

    /// Whether `input` is `text` in any locale (a menu a customer still sees may be from
    /// before they switched language).
    pub fn matches(&self, text: impl Template, input: &str) -> bool {
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
        for entry in Entry::all() {
            assert!(keys.insert(entry.key()), "duplicate key {}", entry.key());
            let mut id = placeholders_of(entry.default_text(Locale::Id));
            let mut en = placeholders_of(entry.default_text(Locale::En));
            id.sort_unstable();
            en.sort_unstable();
            assert_eq!(id, en, "{}", entry.key());
            assert_eq!(Entry::from_key(entry.key()), Some(*entry));
            assert!(
                crate::ui::html::check(entry.default_text(Locale::Id)).is_ok()
                    && crate::ui::html::check(entry.default_text(Locale::En)).is_ok(),
                "{} is HTML Telegram accepts",
                entry.key()
            );
        }
    }

    #[test]
    fn overrides_win_in_their_locale_only() {
        let mut texts = Texts::builtin(Locale::Id);
        Arc::make_mut(&mut texts.overrides)
            .insert((Text::MenuCart.key(), Locale::Id), "🛒 Troli".to_owned());
        assert_eq!(texts.get(Text::MenuCart), "🛒 Troli");
        assert_eq!(texts.get_in(Text::MenuCart, Locale::En), "🛒 Cart");
        assert!(texts.matches(Text::MenuCart, "🛒 Cart"));
        assert!(!texts.matches(Text::MenuCart, "🛒 Keranjang"));
    }
}
