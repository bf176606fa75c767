//! The catalog screens: categories, a page of products, a product's detail. Customers see
//! only active products with stock (available contents) above zero; stock is always counted
//! from the contents, never stored.

use sqlx::PgConnection;

use super::callback::{Callback, Shelf};
use super::texts::{Locale, Text, render};
use crate::JobError;
use crate::telegram::Button;
use crate::telegram::html::escape;

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

pub async fn categories(tx: &mut PgConnection, locale: Locale) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT c.id, c.name, c.emoji, count(pc.id) AS "available!"
        FROM categories c
        LEFT JOIN products p ON p.category_id = c.id AND p.status = 'active'
        LEFT JOIN product_contents pc ON pc.product_id = p.id AND pc.state = 'available'
        GROUP BY c.id
        ORDER BY c.sort_order, c.name
        "#
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .filter(|row| row.available > 0)
        .map(|row| {
            vec![Button::callback(
                format!("{} {}", row.emoji, row.name),
                Callback::List {
                    shelf: Shelf::Category(row.id),
                    page: 0,
                }
                .encode(),
            )]
        })
        .collect();
    buttons.push(vec![Button::callback(
        Text::AllProducts.default_text(locale),
        Callback::List {
            shelf: Shelf::All,
            page: 0,
        }
        .encode(),
    )]);
    Ok(Screen {
        text: render(Text::Categories, locale, &[]),
        buttons,
    })
}

pub async fn list(
    tx: &mut PgConnection,
    locale: Locale,
    shelf: Shelf,
    page: u32,
    page_size: u32,
) -> Result<Screen, JobError> {
    let category = match shelf {
        Shelf::All => None,
        Shelf::Category(id) => Some(id),
    };
    let page_size = i64::from(page_size.max(1));
    let rows = sqlx::query!(
        r#"
        SELECT p.id, p.name, p.price, count(pc.id) AS "stock!", count(*) OVER () AS "total!"
        FROM products p
        JOIN product_contents pc ON pc.product_id = p.id AND pc.state = 'available'
        WHERE p.status = 'active' AND ($1::bigint IS NULL OR p.category_id = $1)
        GROUP BY p.id
        ORDER BY p.name, p.id
        LIMIT $2 OFFSET $3
        "#,
        category,
        page_size,
        i64::from(page) * page_size,
    )
    .fetch_all(&mut *tx)
    .await?;
    let back = vec![Button::callback(
        Text::Back.default_text(locale),
        Callback::Categories.encode(),
    )];
    let Some(total) = rows.first().map(|row| row.total) else {
        return Ok(Screen {
            text: render(Text::NoProducts, locale, &[]),
            buttons: vec![back],
        });
    };
    let pages = (total + page_size - 1) / page_size;
    let shelf_name = match category {
        None => Text::AllProducts.default_text(locale).to_owned(),
        Some(id) => sqlx::query_scalar!("SELECT name FROM categories WHERE id = $1", id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|name| escape(&name))
            .unwrap_or_default(),
    };
    let mut lines = vec![render(
        Text::ListHeader,
        locale,
        &[
            ("shelf", &shelf_name),
            ("page", &(i64::from(page) + 1).to_string()),
            ("pages", &pages.to_string()),
        ],
    )];
    let first = i64::from(page) * page_size;
    let mut numbers = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let n = (first + i as i64 + 1).to_string();
        lines.push(render(
            Text::ProductLine,
            locale,
            &[
                ("n", &n),
                ("name", &escape(&row.name)),
                ("price", &rupiah(row.price)),
                ("stock", &row.stock.to_string()),
            ],
        ));
        numbers.push(Button::callback(
            n,
            Callback::Product {
                id: row.id,
                shelf,
                page,
            }
            .encode(),
        ));
    }
    let mut buttons = vec![numbers];
    let mut paging = Vec::new();
    if page > 0 {
        paging.push(Button::callback(
            "◀️",
            Callback::List {
                shelf,
                page: page - 1,
            }
            .encode(),
        ));
    }
    if i64::from(page) + 1 < pages {
        paging.push(Button::callback(
            "▶️",
            Callback::List {
                shelf,
                page: page + 1,
            }
            .encode(),
        ));
    }
    if !paging.is_empty() {
        buttons.push(paging);
    }
    buttons.push(back);
    Ok(Screen {
        text: lines.join("\n"),
        buttons,
    })
}

pub async fn product(
    tx: &mut PgConnection,
    locale: Locale,
    id: i64,
    shelf: Shelf,
    page: u32,
) -> Result<Screen, JobError> {
    let back = vec![Button::callback(
        Text::Back.default_text(locale),
        Callback::List { shelf, page }.encode(),
    )];
    let row = sqlx::query!(
        r#"
        SELECT p.name, p.price, p.description, p.status,
               coalesce(c.emoji || ' ' || c.name, '-') AS "category!",
               (SELECT count(*) FROM product_contents WHERE product_id = p.id AND state = 'available') AS "stock!",
               (SELECT count(*) FROM product_contents WHERE product_id = p.id AND state = 'sold') AS "sold!"
        FROM products p
        LEFT JOIN categories c ON c.id = p.category_id
        WHERE p.id = $1
        "#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row.filter(|row| row.status == "active" && row.stock > 0) else {
        return Ok(Screen {
            text: render(Text::ProductGone, locale, &[]),
            buttons: vec![back],
        });
    };
    Ok(Screen {
        text: render(
            Text::ProductDetail,
            locale,
            &[
                ("name", &escape(&row.name)),
                ("price", &rupiah(row.price)),
                ("stock", &row.stock.to_string()),
                ("sold", &row.sold.to_string()),
                ("category", &escape(&row.category)),
                ("description", &escape(&row.description)),
            ],
        ),
        buttons: vec![back],
    })
}

/// Every active product in stock with its count, at `now` in the shop's time zone.
pub async fn stock(
    tx: &mut PgConnection,
    locale: Locale,
    timezone: chrono_tz::Tz,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT p.name, count(pc.id) AS "stock!"
        FROM products p
        JOIN product_contents pc ON pc.product_id = p.id AND pc.state = 'available'
        WHERE p.status = 'active'
        GROUP BY p.id
        ORDER BY p.name, p.id
        LIMIT 100
        "#
    )
    .fetch_all(&mut *tx)
    .await?;
    let refresh = vec![vec![Button::callback(
        Text::Refresh.default_text(locale),
        Callback::Stock.encode(),
    )]];
    if rows.is_empty() {
        return Ok(Screen {
            text: render(Text::NoProducts, locale, &[]),
            buttons: refresh,
        });
    }
    let time = chrono::Utc::now()
        .with_timezone(&timezone)
        .format("%d-%m-%Y %H:%M %Z")
        .to_string();
    let mut lines = vec![render(Text::StockHeader, locale, &[("time", &time)])];
    for row in &rows {
        lines.push(render(
            Text::StockLine,
            locale,
            &[
                ("name", &escape(&row.name)),
                ("stock", &row.stock.to_string()),
            ],
        ));
    }
    Ok(Screen {
        text: lines.join("\n"),
        buttons: refresh,
    })
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
