//! What a button press asks for. Callback data is at most 64 bytes (Telegram's limit) and
//! stale data (a product since archived, a page that no longer exists) must still parse: the
//! screen it leads to says what changed.

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
    List { shelf: Shelf, page: u32 },
    /// A product's detail, remembering the list page to go back to.
    Product { id: i64, shelf: Shelf, page: u32 },
    /// The stock overview, refreshed.
    Stock,
}

impl Callback {
    pub fn encode(self) -> String {
        let shelf = |s: Shelf| match s {
            Shelf::All => "all".to_owned(),
            Shelf::Category(id) => id.to_string(),
        };
        match self {
            Callback::Categories => "cats".to_owned(),
            Callback::Stock => "stock".to_owned(),
            Callback::List { shelf: s, page } => format!("list:{}:{page}", shelf(s)),
            Callback::Product { id, shelf: s, page } => format!("prod:{id}:{}:{page}", shelf(s)),
        }
    }

    pub fn parse(data: &str) -> Option<Self> {
        let parts: Vec<&str> = data.split(':').collect();
        let shelf = |s: &str| -> Option<Shelf> {
            if s == "all" {
                Some(Shelf::All)
            } else {
                s.parse().ok().map(Shelf::Category)
            }
        };
        match parts.as_slice() {
            ["cats"] => Some(Callback::Categories),
            ["stock"] => Some(Callback::Stock),
            ["list", s, page] => Some(Callback::List {
                shelf: shelf(s)?,
                page: page.parse().ok()?,
            }),
            ["prod", id, s, page] => Some(Callback::Product {
                id: id.parse().ok()?,
                shelf: shelf(s)?,
                page: page.parse().ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_callback_round_trips_within_64_bytes() {
        let all = [
            Callback::Categories,
            Callback::Stock,
            Callback::List {
                shelf: Shelf::All,
                page: 3,
            },
            Callback::List {
                shelf: Shelf::Category(i64::MAX),
                page: u32::MAX,
            },
            Callback::Product {
                id: i64::MAX,
                shelf: Shelf::Category(i64::MAX),
                page: u32::MAX,
            },
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
        ] {
            assert_eq!(Callback::parse(data), None, "{data}");
        }
    }
}
