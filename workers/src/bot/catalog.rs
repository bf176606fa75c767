//! The catalog screens: categories, a page of products, a product's detail with its variants,
//! a variant's detail (a product with one variant shows it straight away), the stock
//! overview. Customers see only active products and variants with stock (available contents)
//! above zero; stock is always counted from the contents, never stored. Prices are the
//! customer's: their price group's where it has one (marked), tiers listed per variant.

use sqlx::PgConnection;

use crate::JobError;
use crate::shop::ids::{ProductId, UserId, VariantId};
use crate::shop::pricing::PriceRule;
use crate::shop::variant::{self, Offer};
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
            JOIN product_variants v ON v.product_id = p.id AND v.status = 'active'
            JOIN product_contents pc ON pc.variant_id = v.id AND pc.state = 'available'
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
    user_id: UserId,
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
        SELECT p.id, p.name, count(*) OVER () AS "total!"
        FROM products p
        WHERE p.status = 'active' AND ($1::bigint IS NULL OR p.category_id = $1)
          AND EXISTS (
            SELECT 1 FROM product_variants v
            JOIN product_contents pc ON pc.variant_id = v.id AND pc.state = 'available'
            WHERE v.product_id = p.id AND v.status = 'active'
          )
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
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let offers = variant::offers(tx, user_id, &ids).await?;
    let mut numbers = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let n = (first + i as i64 + 1).to_string();
        let mine: Vec<&Offer> = offers
            .iter()
            .filter(|offer| offer.product_id.get() == row.id && offer.stock > 0)
            .collect();
        let stock: i64 = mine.iter().map(|offer| offer.stock).sum();
        let cheapest = mine.iter().min_by_key(|offer| offer.price(1).price);
        let price = match cheapest {
            Some(offer) if mine.len() > 1 => {
                t.render(Text::PriceFrom, &[("price", &shown_price(t, offer, 1))])
            }
            Some(offer) => shown_price(t, offer, 1),
            None => String::new(),
        };
        lines.push(t.render(
            Text::ProductLine,
            &[
                ("n", &n),
                ("name", &escape(&row.name)),
                ("price", &price),
                ("stock", &stock.to_string()),
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

/// The price of `quantity` units of `offer` as the customer reads it: their group's price is
/// marked with the group's name.
fn shown_price(t: &Texts, offer: &Offer, quantity: i32) -> String {
    let unit = offer.price(quantity);
    match (&offer.group_name, unit.rule) {
        (Some(group), PriceRule::Group) => t.render(
            Text::GroupPrice,
            &[("price", &rupiah(unit.price)), ("group", &escape(group))],
        ),
        _ => rupiah(unit.price),
    }
}

struct Shown {
    id: ProductId,
    name: String,
    description: String,
    category: String,
    offers: Vec<Offer>,
    cart_count: i64,
}

/// A product as the customer may see it: its active variants in stock, priced for them.
/// A product named by its own id or by one of its variants'.
enum Of {
    Product(ProductId),
    Variant(VariantId),
}

async fn shown(tx: &mut PgConnection, user_id: UserId, of: Of) -> Result<Option<Shown>, JobError> {
    let (product, variant) = match of {
        Of::Product(id) => (Some(id.get()), None),
        Of::Variant(id) => (None, Some(id.get())),
    };
    let row = sqlx::query!(
        r#"
        SELECT p.id, p.name, p.description, p.status,
               coalesce(c.emoji || ' ' || c.name, '-') AS "category!",
               (SELECT coalesce(sum(quantity), 0) FROM cart_items WHERE user_id = $2) AS "cart_count!"
        FROM products p
        LEFT JOIN categories c ON c.id = p.category_id
        WHERE p.id = coalesce($1::bigint, (SELECT product_id FROM product_variants WHERE id = $3::bigint))
        "#,
        product,
        user_id.get(),
        variant,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row.filter(|row| row.status == "active") else {
        return Ok(None);
    };
    let offers: Vec<Offer> = variant::offers(tx, user_id, &[row.id])
        .await?
        .into_iter()
        .filter(|offer| offer.stock > 0)
        .collect();
    if offers.is_empty() {
        return Ok(None);
    }
    Ok(Some(Shown {
        id: ProductId(row.id),
        name: row.name,
        description: row.description,
        category: row.category,
        offers,
        cart_count: row.cart_count,
    }))
}

fn gone(t: &Texts, back: Callback) -> Screen {
    Screen {
        text: t.render(Text::ProductGone, &[]),
        buttons: vec![vec![Button::callback(t.get(Text::Back), back.encode())]],
    }
}

/// A product's detail: with one variant in stock, that variant's screen; with several, the
/// product with a line and a button per variant.
pub async fn product(
    tx: &mut PgConnection,
    t: &Texts,
    user_id: UserId,
    id: ProductId,
    shelf: Shelf,
    page: u32,
) -> Result<Screen, JobError> {
    let to_list = Callback::List { shelf, page };
    let Some(product) = shown(tx, user_id, Of::Product(id)).await? else {
        return Ok(gone(t, to_list));
    };
    if let [offer] = product.offers.as_slice() {
        return Ok(variant_screen(t, &product, offer, to_list, shelf, page));
    }
    let stock: i64 = product.offers.iter().map(|offer| offer.stock).sum();
    let sold: i64 = product.offers.iter().map(|offer| offer.sold).sum();
    let cheapest = product
        .offers
        .iter()
        .min_by_key(|offer| offer.price(1).price)
        .map(|offer| shown_price(t, offer, 1))
        .unwrap_or_default();
    let mut text = vec![
        t.render(
            Text::ProductDetail,
            &[
                ("name", &escape(&product.name)),
                ("price", &t.render(Text::PriceFrom, &[("price", &cheapest)])),
                ("stock", &stock.to_string()),
                ("sold", &sold.to_string()),
                ("category", &escape(&product.category)),
                ("description", &escape(&product.description)),
            ],
        )
        .trim_end()
        .to_owned(),
        String::new(),
        t.render(Text::VariantsHeader, &[]),
    ];
    let mut buttons = Vec::new();
    for (i, offer) in product.offers.iter().enumerate() {
        let n = (i + 1).to_string();
        text.push(t.render(
            Text::ProductLine,
            &[
                ("n", &n),
                ("name", &escape(&offer.name)),
                ("price", &shown_price(t, offer, 1)),
                ("stock", &offer.stock.to_string()),
            ],
        ));
        let label = if offer.in_cart > 0 {
            let quantity = offer.in_cart.to_string();
            let values = [
                ("n", n.as_str()),
                ("name", &offer.name),
                ("quantity", &quantity),
            ];
            t.render(Text::VariantButtonInCart, &values)
        } else {
            t.render(Text::VariantButton, &[("n", &n), ("name", &offer.name)])
        };
        buttons.push(vec![Button::callback(
            label,
            Callback::Variant {
                id: offer.id,
                shelf,
                page,
            }
            .encode(),
        )]);
    }
    buttons.push(vec![open_cart(t, product.cart_count)]);
    buttons.push(vec![Button::callback(t.get(Text::Back), to_list.encode())]);
    Ok(Screen {
        text: text.join("\n"),
        buttons,
    })
}

/// A variant's detail with its tiers, the customer's quantity in the cart and the buttons to
/// change it.
pub async fn variant(
    tx: &mut PgConnection,
    t: &Texts,
    user_id: UserId,
    id: VariantId,
    shelf: Shelf,
    page: u32,
) -> Result<Screen, JobError> {
    let to_list = Callback::List { shelf, page };
    let Some(product) = shown(tx, user_id, Of::Variant(id)).await? else {
        return Ok(gone(t, to_list));
    };
    let back = if product.offers.len() > 1 {
        Callback::Product {
            id: product.id,
            shelf,
            page,
        }
    } else {
        to_list
    };
    let Some(offer) = product.offers.iter().find(|offer| offer.id == id) else {
        return Ok(gone(t, back));
    };
    Ok(variant_screen(t, &product, offer, back, shelf, page))
}

fn open_cart(t: &Texts, count: i64) -> Button {
    Button::callback(
        t.render(Text::ButtonOpenCart, &[("count", &count.to_string())]),
        Callback::Cart.encode(),
    )
}

fn variant_screen(
    t: &Texts,
    product: &Shown,
    offer: &Offer,
    back: Callback,
    shelf: Shelf,
    page: u32,
) -> Screen {
    let mut text = t
        .render(
            Text::ProductDetail,
            &[
                ("name", &escape(&variant::label(&product.name, &offer.name))),
                ("price", &shown_price(t, offer, 1)),
                ("stock", &offer.stock.to_string()),
                ("sold", &offer.sold.to_string()),
                ("category", &escape(&product.category)),
                ("description", &escape(&product.description)),
            ],
        )
        // A product without a description leaves no blank lines.
        .trim_end()
        .to_owned();
    let tiers: Vec<String> = offer
        .tiers
        .iter()
        .filter(|tier| tier.unit_price < offer.price(1).price)
        .map(|tier| {
            t.render(
                Text::TierLine,
                &[
                    ("quantity", &tier.min_quantity.to_string()),
                    ("price", &rupiah(tier.unit_price)),
                ],
            )
        })
        .collect();
    if !tiers.is_empty() {
        text.push_str("\n\n");
        text.push_str(&tiers.join("\n"));
    }
    let quantity = offer.in_cart;
    let id = offer.id;
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
        let unit = offer.price(quantity).price;
        text.push_str("\n\n");
        text.push_str(&t.render(
            Text::ProductInCart,
            &[
                ("quantity", &quantity.to_string()),
                (
                    "total",
                    &rupiah(unit.get().saturating_mul(i64::from(quantity))),
                ),
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
    let mut sizes = vec![2, 5, 10];
    for tier in &offer.tiers {
        if let Ok(n) = u16::try_from(tier.min_quantity)
            && !sizes.contains(&n)
            && sizes.len() < 5
        {
            sizes.push(n);
        }
    }
    sizes.sort_unstable();
    buttons.push(
        sizes
            .into_iter()
            .map(|n| Button::callback(format!("x{n}"), change(Change::Set(n))))
            .collect(),
    );
    buttons.push(vec![open_cart(t, product.cart_count)]);
    buttons.push(vec![Button::callback(t.get(Text::Back), back.encode())]);
    Screen { text, buttons }
}

/// Every active variant in stock with its count, at `now` in the shop's time zone.
pub async fn stock(
    tx: &mut PgConnection,
    t: &Texts,
    timezone: chrono_tz::Tz,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT p.name AS product, v.name AS variant, count(pc.id) AS "stock!"
        FROM products p
        JOIN product_variants v ON v.product_id = p.id AND v.status = 'active'
        JOIN product_contents pc ON pc.variant_id = v.id AND pc.state = 'available'
        WHERE p.status = 'active'
        GROUP BY p.id, v.id
        ORDER BY p.name, p.id, v.sort_order, v.id
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
                ("name", &escape(&variant::label(&row.product, &row.variant))),
                ("stock", &row.stock.to_string()),
            ],
        ));
    }
    Ok(Screen {
        text: lines.join("\n"),
        buttons: refresh,
    })
}
