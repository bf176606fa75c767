//! Products: the list, search, a product's screen, its fields edited, archive and category.

use serde_json::json;
use sqlx::PgConnection;

use super::super::{Admin, Input, ask, audit, back, button, paging, wait_for};
use super::categories::category_picker;
use super::stock::StockPress;
use super::wizard::WizardPress;
use super::{PAGE, optional_text, price, valid_name};
use crate::JobError;
use crate::bot::admin::callback::Field;
use crate::bot::admin::callback::MenuPress;
use crate::bot::conversation::{self};
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::{Button, Outgoing};

/// What the bot waits for from an admin in a product screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ProductStep {
    ProductSearch,
    EditProduct { product_id: i64, field: Field },
}

callbacks! {
    /// An admin's press on product screens and edits.
    pub enum ProductPress = "a:" {
        Products { page: u32 } = "ps",
        Product { id: i64 } = "p",
        SearchProducts = "pq",
        Edit { id: i64, field: Field } = "pe",
        /// Pick a product's category.
        PickCategory { id: i64 } = "pk",
        SetCategory { id: i64, category: Option<i64> } = "pK",
        Archive { id: i64, archived: bool } = "pa",
    }
}

impl Checked for ProductPress {}

/// A press on a product screen.
pub(in crate::bot::admin) async fn on_product(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: ProductPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        ProductPress::Products { page } => Reply::edit(products(tx, page).await?),
        ProductPress::Product { id } => Reply::edit(product(tx, id).await?),
        ProductPress::SearchProducts => {
            return wait_for(
                tx,
                admin,
                ProductStep::ProductSearch,
                "🔎 Send part of a product's name or code.",
                settings,
            )
            .await;
        }
        ProductPress::Edit { id, field } => {
            let question = match field {
                Field::Name => "Send the new <b>name</b> (up to 128 characters).",
                Field::Price => "Send the new <b>price</b> in rupiah (e.g. <code>25.000</code>).",
                Field::Description => "Send the new <b>description</b> (<code>-</code> for none).",
                Field::Terms => {
                    "Send the new <b>terms (SNK)</b> shown after delivery (<code>-</code> for none)."
                }
                Field::LowStock => {
                    "Send the <b>low-stock threshold</b>: admins are alerted once when stock \
                     falls below it (<code>-</code> for none)."
                }
            };
            let step = ProductStep::EditProduct {
                product_id: id,
                field,
            };
            return wait_for(tx, admin, step, question, settings).await;
        }
        ProductPress::PickCategory { id } => Reply::edit(
            category_picker(tx, |category| ProductPress::SetCategory { id, category }).await?,
        ),
        ProductPress::SetCategory { id, category } => {
            let before = product_row(tx, id).await?;
            let changed = sqlx::query!(
                r#"UPDATE products SET category_id = $2, updated_at = now()
                   WHERE id = $1 AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM categories WHERE id = $2))
                   RETURNING id"#,
                id,
                category
            )
            .fetch_optional(&mut *tx)
            .await?;
            if changed.is_some() {
                audit(
                    tx,
                    &admin.actor(),
                    "product.update",
                    ("product", Some(id.to_string())),
                    before,
                    Some(json!({ "category_id": category })),
                )
                .await?;
            }
            Reply::edit(product(tx, id).await?)
        }
        ProductPress::Archive { id, archived } => {
            let status = if archived { "archived" } else { "active" };
            let changed = sqlx::query_scalar!(
                "UPDATE products SET status = $2, updated_at = now() WHERE id = $1 AND status <> $2 RETURNING id",
                id,
                status
            )
            .fetch_optional(&mut *tx)
            .await?;
            if changed.is_some() {
                let action = if archived {
                    "product.archive"
                } else {
                    "product.unarchive"
                };
                audit(
                    tx,
                    &admin.actor(),
                    action,
                    ("product", Some(id.to_string())),
                    None,
                    Some(json!({ "status": status })),
                )
                .await?;
            }
            Reply::edit(product(tx, id).await?)
        }
    })
}

pub(in crate::bot::admin) enum FieldValue {
    Text(String),
    Number(i64),
}

pub(in crate::bot::admin) async fn product_row(
    tx: &mut PgConnection,
    id: i64,
) -> Result<Option<serde_json::Value>, JobError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT to_jsonb(p) - 'created_at' - 'updated_at' AS "row!" FROM products p WHERE id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?)
}

pub(in crate::bot::admin) async fn save_field(
    tx: &mut PgConnection,
    admin: &Admin,
    id: i64,
    field: Field,
    value: Option<FieldValue>,
) -> Result<(), JobError> {
    let before = product_row(tx, id).await?;
    let (text, number) = match value {
        Some(FieldValue::Text(text)) => (Some(text), None),
        Some(FieldValue::Number(n)) => (None, Some(n)),
        None => (None, None),
    };
    match field {
        Field::Name => {
            sqlx::query!(
                "UPDATE products SET name = coalesce($2, name), updated_at = now() WHERE id = $1",
                id,
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Price => {
            sqlx::query!(
                "UPDATE products SET price = coalesce($2, price), updated_at = now() WHERE id = $1",
                id,
                number
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Description => {
            sqlx::query!(
                "UPDATE products SET description = coalesce($2, ''), updated_at = now() WHERE id = $1",
                id,
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Terms => {
            sqlx::query!(
                "UPDATE products SET terms = $2, updated_at = now() WHERE id = $1",
                id,
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::LowStock => {
            let threshold = number.and_then(|n| i32::try_from(n).ok());
            sqlx::query!(
                "UPDATE products SET low_stock_threshold = $2, low_stock_alerted_at = NULL, updated_at = now() WHERE id = $1",
                id,
                threshold
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    let after = product_row(tx, id).await?;
    audit(
        tx,
        &admin.actor(),
        "product.update",
        ("product", Some(id.to_string())),
        before,
        after,
    )
    .await
}

pub(in crate::bot::admin) async fn products(
    tx: &mut PgConnection,
    page: u32,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT p.id, p.code, p.name, p.price, p.status,
               count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
               count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!",
               count(*) OVER () AS "total!"
        FROM products p LEFT JOIN product_contents pc ON pc.product_id = p.id
        GROUP BY p.id
        ORDER BY p.status, p.name, p.id
        LIMIT $1 OFFSET $2
        "#,
        PAGE,
        i64::from(page) * PAGE
    )
    .fetch_all(&mut *tx)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            let archived = if row.status == "archived" {
                "🗄 "
            } else {
                ""
            };
            vec![button(
                format!(
                    "{archived}{} · {} · stock {} · sold {}",
                    row.name,
                    rupiah(row.price),
                    row.stock,
                    row.sold
                ),
                ProductPress::Product { id: row.id },
            )]
        })
        .collect();
    let more = i64::from(page + 1) * PAGE < total;
    paging(&mut buttons, page, more, |page| ProductPress::Products {
        page,
    });
    buttons.push(vec![
        button("➕ New product", WizardPress::NewProduct),
        button("🔎 Search", ProductPress::SearchProducts),
    ]);
    buttons.push(back(MenuPress::Home));
    Ok(Screen {
        text: format!("🛒 <b>Products</b> ({total}) — stock and sold counts; 🗄 archived."),
        buttons,
    })
}

pub(in crate::bot::admin) async fn search(
    tx: &mut PgConnection,
    query: &str,
) -> Result<Screen, JobError> {
    let pattern = format!(
        "%{}%",
        query
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows = sqlx::query!(
        r#"SELECT id, name, code, status FROM products
           WHERE name ILIKE $1 OR code ILIKE $1 ORDER BY name LIMIT 20"#,
        pattern
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            vec![button(
                format!(
                    "{} ({}){}",
                    row.name,
                    row.code,
                    if row.status == "archived" {
                        " 🗄"
                    } else {
                        ""
                    }
                ),
                ProductPress::Product { id: row.id },
            )]
        })
        .collect();
    buttons.push(back(ProductPress::Products { page: 0 }));
    Ok(Screen {
        text: format!(
            "🔎 {} product(s) matching <b>{}</b>.",
            rows.len(),
            escape(query.trim())
        ),
        buttons,
    })
}

pub(in crate::bot::admin) async fn product(
    tx: &mut PgConnection,
    id: i64,
) -> Result<Screen, JobError> {
    let row = sqlx::query!(
        r#"
        SELECT p.code, p.name, p.price, p.description, p.terms, p.status, p.low_stock_threshold,
               c.name AS "category?", c.emoji AS "emoji?",
               count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
               count(pc.id) FILTER (WHERE pc.state = 'reserved') AS "reserved!",
               count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!"
        FROM products p
        LEFT JOIN categories c ON c.id = p.category_id
        LEFT JOIN product_contents pc ON pc.product_id = p.id
        WHERE p.id = $1
        GROUP BY p.id, c.id
        "#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Screen {
            text: "That product does not exist.".to_owned(),
            buttons: vec![back(ProductPress::Products { page: 0 })],
        });
    };
    let archived = row.status == "archived";
    let category = match (&row.category, &row.emoji) {
        (Some(name), Some(emoji)) => format!("{emoji} {}", escape(name)),
        _ => "uncategorised".to_owned(),
    };
    let text = format!(
        "📦 <b>{}</b> (<code>{}</code>){}\nPrice: {}\nCategory: {category}\nStock: <b>{}</b> · reserved {} · sold {}\nLow-stock alert below: {}\n\n{}\n\n<b>Terms:</b> {}",
        escape(&row.name),
        escape(&row.code),
        if archived { " — 🗄 archived" } else { "" },
        rupiah(row.price),
        row.stock,
        row.reserved,
        row.sold,
        row.low_stock_threshold
            .map_or_else(|| "off".to_owned(), |n| n.to_string()),
        if row.description.is_empty() {
            "<i>no description</i>".to_owned()
        } else {
            escape(&row.description)
        },
        row.terms
            .as_deref()
            .map_or_else(|| "<i>none</i>".to_owned(), escape),
    );
    let edit = |label: &str, field| button(label, ProductPress::Edit { id, field });
    Ok(Screen {
        text,
        buttons: vec![
            vec![edit("✏️ Name", Field::Name), edit("💰 Price", Field::Price)],
            vec![
                edit("📄 Description", Field::Description),
                edit("📜 Terms", Field::Terms),
            ],
            vec![
                button("🗂 Category", ProductPress::PickCategory { id }),
                edit("⚠️ Low stock", Field::LowStock),
            ],
            vec![
                button("📥 Add stock", StockPress::AddStock { id }),
                button("📋 Contents", StockPress::Stock { id, page: 0 }),
            ],
            vec![if archived {
                button(
                    "♻️ Unarchive",
                    ProductPress::Archive {
                        id,
                        archived: false,
                    },
                )
            } else {
                button("🗄 Archive", ProductPress::Archive { id, archived: true })
            }],
            back(ProductPress::Products { page: 0 }),
        ],
    })
}

/// An admin's answer on a product screen (a search, a field's new value).
pub(in crate::bot::admin) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: ProductStep,
    input: &Input<'_>,
) -> Result<Vec<Outgoing>, JobError> {
    let text = input.text;
    Ok(match step {
        ProductStep::ProductSearch => {
            conversation::clear(tx, admin.chat).await?;
            vec![message(search(tx, text).await?)]
        }
        ProductStep::EditProduct { product_id, field } => {
            let value = match field {
                Field::Name => match valid_name(text, 128) {
                    Some(name) => Some(FieldValue::Text(name)),
                    None => return Ok(vec![ask("A name has 1–128 characters. Send it again.")]),
                },
                Field::Price => match price(text) {
                    Some(price) => Some(FieldValue::Number(price)),
                    None => {
                        return Ok(vec![ask(
                            "A price is a whole number of rupiah above 0. Send it again.",
                        )]);
                    }
                },
                Field::Description | Field::Terms => optional_text(text).map(FieldValue::Text),
                Field::LowStock => match text.trim() {
                    "-" => None,
                    number => match number.parse::<i64>() {
                        Ok(n) if (0..=1_000_000).contains(&n) => Some(FieldValue::Number(n)),
                        _ => {
                            return Ok(vec![ask(
                                "Send a whole number (0 or more), or <code>-</code> for none.",
                            )]);
                        }
                    },
                },
            };
            save_field(tx, admin, product_id, field, value).await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(product(tx, product_id).await?)]
        }
    })
}
