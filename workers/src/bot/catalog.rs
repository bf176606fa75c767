//! The catalog screens: categories, a page of products, a product's detail, the stock
//! overview. Customers see only active products with stock (available contents) above zero;
//! stock is always counted from the contents, never stored.

use sqlx::PgConnection;

use crate::JobError;
use crate::shop::ids::ProductId;
use crate::shop::ids::UserId;
use crate::ui::Button;
use crate::ui::callback::{Callback, Change, Shelf};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, paging, rupiah};
use crate::ui::texts::{Text, Texts};

pub async fn categories(tx: &mut PgConnection, t: &Texts) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT c.id, c.name, c.emoji
        FROM categories c
        WHERE EXISTS (
            SELECT 1 FROM products p
            JOIN product_contents pc ON pc.product_id = p.id AND pc.state = 'available'
            WHERE p.category_id = c.id AND p.status = 'active'
        )
        ORDER BY c.sort_order, c.name
        "#
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
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
        t.get(Text::AllProducts),
        Callback::List {
            shelf: Shelf::All,
            page: 0,
        }
        .encode(),
    )]);
    Ok(Screen {
        text: t.render(Text::Categories, &[]),
        buttons,
    })
}

pub async fn list(
    tx: &mut PgConnection,
    t: &Texts,
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
        t.get(Text::Back),
        Callback::Categories.encode(),
    )];
    let Some(total) = rows.first().map(|row| row.total) else {
        return Ok(Screen {
            text: t.render(Text::NoProducts, &[]),
            buttons: vec![back],
        });
    };
    let pages = (total + page_size - 1) / page_size;
    let shelf_name = match category {
        None => t.get(Text::AllProducts).to_owned(),
        Some(id) => sqlx::query_scalar!("SELECT name FROM categories WHERE id = $1", id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|name| escape(&name))
            .unwrap_or_default(),
    };
    let mut lines = vec![t.render(
        Text::ListHeader,
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
        lines.push(t.render(
            Text::ProductLine,
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
                id: ProductId(row.id),
                shelf,
                page,
            }
            .encode(),
        ));
    }
    let mut buttons = vec![numbers];
    buttons.extend(paging(page, pages, |page| Callback::List { shelf, page }));
    buttons.push(back);
    Ok(Screen {
        text: lines.join("\n"),
        buttons,
    })
}

/// A product's detail with the customer's quantity in the cart and the buttons to change it.
pub async fn product(
    tx: &mut PgConnection,
    t: &Texts,
    user_id: UserId,
    id: ProductId,
    shelf: Shelf,
    page: u32,
) -> Result<Screen, JobError> {
    let back = vec![Button::callback(
        t.get(Text::Back),
        Callback::List { shelf, page }.encode(),
    )];
    let row = sqlx::query!(
        r#"
        SELECT p.name, p.price, p.description, p.status,
               coalesce(c.emoji || ' ' || c.name, '-') AS "category!",
               (SELECT count(*) FROM product_contents WHERE product_id = p.id AND state = 'available') AS "stock!",
               (SELECT count(*) FROM product_contents WHERE product_id = p.id AND state = 'sold') AS "sold!",
               (SELECT quantity FROM cart_items WHERE user_id = $2 AND product_id = p.id) AS in_cart,
               (SELECT coalesce(sum(quantity), 0) FROM cart_items WHERE user_id = $2) AS "cart_count!"
        FROM products p
        LEFT JOIN categories c ON c.id = p.category_id
        WHERE p.id = $1
        "#,
        id.get(),
        user_id.get(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row.filter(|row| row.status == "active" && row.stock > 0) else {
        return Ok(Screen {
            text: t.render(Text::ProductGone, &[]),
            buttons: vec![back],
        });
    };
    let mut text = t
        .render(
            Text::ProductDetail,
            &[
                ("name", &escape(&row.name)),
                ("price", &rupiah(row.price)),
                ("stock", &row.stock.to_string()),
                ("sold", &row.sold.to_string()),
                ("category", &escape(&row.category)),
                ("description", &escape(&row.description)),
            ],
        )
        // A product without a description leaves no blank lines.
        .trim_end()
        .to_owned();
    let quantity = row.in_cart.unwrap_or(0);
    let change = |change: Change| {
        Callback::Quantity {
            id,
            change,
            shelf,
            page,
        }
        .encode()
    };
    let mut buttons = Vec::new();
    if quantity > 0 {
        text.push_str("\n\n");
        text.push_str(&t.render(
            Text::ProductInCart,
            &[
                ("quantity", &quantity.to_string()),
                ("total", &rupiah(row.price * i64::from(quantity))),
            ],
        ));
        buttons.push(vec![
            Button::callback("➖", change(Change::Minus)),
            Button::callback(format!("{quantity}"), change(Change::Set(0))),
            Button::callback("➕", change(Change::Plus)),
        ]);
    } else {
        buttons.push(vec![Button::callback(
            t.get(Text::ButtonAddToCart),
            change(Change::Plus),
        )]);
    }
    buttons.push(
        [2, 5, 10]
            .into_iter()
            .map(|n| Button::callback(format!("x{n}"), change(Change::Set(n))))
            .collect(),
    );
    buttons.push(vec![Button::callback(
        t.render(
            Text::ButtonOpenCart,
            &[("count", &row.cart_count.to_string())],
        ),
        Callback::Cart.encode(),
    )]);
    buttons.push(back);
    Ok(Screen { text, buttons })
}

/// Every active product in stock with its count, at `now` in the shop's time zone.
pub async fn stock(
    tx: &mut PgConnection,
    t: &Texts,
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
        t.get(Text::Refresh),
        Callback::Stock.encode(),
    )]];
    if rows.is_empty() {
        return Ok(Screen {
            text: t.render(Text::NoProducts, &[]),
            buttons: refresh,
        });
    }
    let time = chrono::Utc::now()
        .with_timezone(&timezone)
        .format("%d-%m-%Y %H:%M %Z")
        .to_string();
    let mut lines = vec![t.render(Text::StockHeader, &[("time", &time)])];
    for row in &rows {
        lines.push(t.render(
            Text::StockLine,
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
