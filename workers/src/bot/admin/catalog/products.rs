//! Products: the list, search, a product's screen with its variants, its fields edited,
//! archive and category. Prices, stock and thresholds are each variant's (see `variants`).

use serde_json::json;
use sqlx::PgConnection;

use super::super::{Admin, Change, Input, ask, back, button, paging, wait_for};
use super::categories::category_picker;
use super::variants::variant_rows;
use super::wizard::WizardPress;
use super::{PAGE, optional_text, valid_name};
use crate::JobError;
use crate::bot::admin::callback::Field;
use crate::bot::admin::callback::MenuPress;
use crate::bot::conversation::{self};
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::shop::ids::{CategoryId, ProductId};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{CatalogText as C, PriceText as P, Texts};
use crate::ui::{Button, Outgoing};

/// What the bot waits for from an admin in a product screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ProductStep {
    ProductSearch,
    EditProduct { product_id: ProductId, field: Field },
}

callbacks! {
    /// An admin's press on product screens and edits.
    pub enum ProductPress = "a:" {
        Products { page: u32 } = "ps",
        Product { id: ProductId } = "p",
        SearchProducts = "pq",
        Edit { id: ProductId, field: Field } = "pe",
        /// Pick a product's category.
        PickCategory { id: ProductId } = "pk",
        SetCategory { id: ProductId, category: Option<CategoryId> } = "pK",
        Archive { id: ProductId, archived: bool } = "pa",
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
    let t = &admin.t;
    Ok(match pressed {
        ProductPress::Products { page } => Reply::edit(products(tx, t, page).await?),
        ProductPress::Product { id } => Reply::edit(product(tx, t, id).await?),
        ProductPress::SearchProducts => {
            let question = t.get(C::SearchPrompt).to_owned();
            return wait_for(tx, admin, ProductStep::ProductSearch, question, settings).await;
        }
        ProductPress::Edit { id, field } => {
            let question = t
                .get(match field {
                    Field::Name => C::AskName,
                    Field::Description => C::AskDescription,
                    Field::Terms => C::AskTerms,
                    // A variant's fields: an older button; its screen is now the variant's.
                    Field::Price
                    | Field::LowStock
                    | Field::Code
                    | Field::Tiers
                    | Field::GroupPrices => {
                        return Ok(Reply::edit(product(tx, t, id).await?));
                    }
                })
                .to_owned();
            let step = ProductStep::EditProduct {
                product_id: id,
                field,
            };
            return wait_for(tx, admin, step, question, settings).await;
        }
        ProductPress::PickCategory { id } => Reply::edit(
            category_picker(tx, t, |category| ProductPress::SetCategory { id, category }).await?,
        ),
        ProductPress::SetCategory { id, category } => {
            let before = product_row(tx, id).await?;
            let changed = sqlx::query!(
                r#"UPDATE products SET category_id = $2, updated_at = now()
                   WHERE id = $1 AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM categories WHERE id = $2))
                   RETURNING id"#,
                id.get(),
                category.map(CategoryId::get)
            )
            .fetch_optional(&mut *tx)
            .await?;
            if changed.is_some() {
                let change = Change::of("product.update", "product", id)
                    .before(before)
                    .after(json!({ "category_id": category }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(product(tx, t, id).await?)
        }
        ProductPress::Archive { id, archived } => {
            let status = if archived { "archived" } else { "active" };
            let changed = sqlx::query_scalar!(
                "UPDATE products SET status = $2, updated_at = now() WHERE id = $1 AND status <> $2 RETURNING id",
                id.get(),
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
                let change = Change::of(action, "product", id).after(json!({ "status": status }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(product(tx, t, id).await?)
        }
    })
}

pub(in crate::bot::admin) enum FieldValue {
    Text(String),
}

pub(in crate::bot::admin) async fn product_row(
    tx: &mut PgConnection,
    id: ProductId,
) -> Result<Option<serde_json::Value>, JobError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT to_jsonb(p) - 'created_at' - 'updated_at' AS "row!" FROM products p WHERE id = $1"#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?)
}

pub(in crate::bot::admin) async fn save_field(
    tx: &mut PgConnection,
    admin: &Admin,
    id: ProductId,
    field: Field,
    value: Option<FieldValue>,
) -> Result<(), JobError> {
    let before = product_row(tx, id).await?;
    let text = value.map(|FieldValue::Text(text)| text);
    match field {
        Field::Name => {
            sqlx::query!(
                "UPDATE products SET name = coalesce($2, name), updated_at = now() WHERE id = $1",
                id.get(),
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Description => {
            sqlx::query!(
                "UPDATE products SET description = coalesce($2, ''), updated_at = now() WHERE id = $1",
                id.get(),
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Terms => {
            sqlx::query!(
                "UPDATE products SET terms = $2, updated_at = now() WHERE id = $1",
                id.get(),
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Price | Field::LowStock | Field::Code | Field::Tiers | Field::GroupPrices => {
            return Ok(());
        }
    }
    let after = product_row(tx, id).await?;
    let entry = Change::of("product.update", "product", id);
    admin.audit(tx, entry.before(before).after(after)).await
}

pub(in crate::bot::admin) async fn products(
    tx: &mut PgConnection,
    t: &Texts,
    page: u32,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT p.id, p.code, p.name, p.status,
               (SELECT min(price) FROM product_variants
                WHERE product_id = p.id AND status = 'active') AS price,
               count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
               count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!",
               count(*) OVER () AS "total!"
        FROM products p
        LEFT JOIN product_variants v ON v.product_id = p.id
        LEFT JOIN product_contents pc ON pc.variant_id = v.id
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
            let label = t.render(
                C::ListButton,
                &[
                    ("archived", archived),
                    ("name", &row.name),
                    ("price", &row.price.map_or_else(|| "—".to_owned(), rupiah)),
                    ("stock", &row.stock.to_string()),
                    ("sold", &row.sold.to_string()),
                ],
            );
            vec![button(
                label,
                ProductPress::Product {
                    id: ProductId(row.id),
                },
            )]
        })
        .collect();
    let more = i64::from(page + 1) * PAGE < total;
    paging(&mut buttons, page, more, |page| ProductPress::Products {
        page,
    });
    buttons.push(vec![
        button(t.get(C::NewProductButton), WizardPress::NewProduct),
        button(t.get(C::SearchButton), ProductPress::SearchProducts),
    ]);
    buttons.push(back(t, MenuPress::Home));
    Ok(Screen {
        text: t.render(C::ListHeader, &[("total", &total.to_string())]),
        buttons,
    })
}

pub(in crate::bot::admin) async fn search(
    tx: &mut PgConnection,
    t: &Texts,
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
        r#"SELECT id, name, code, status FROM products p
           WHERE name ILIKE $1 OR code ILIKE $1
              OR EXISTS (SELECT 1 FROM product_variants v
                         WHERE v.product_id = p.id AND (v.code ILIKE $1 OR v.name ILIKE $1))
           ORDER BY name LIMIT 20"#,
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
                ProductPress::Product {
                    id: ProductId(row.id),
                },
            )]
        })
        .collect();
    buttons.push(back(t, ProductPress::Products { page: 0 }));
    Ok(Screen {
        text: t.render(
            C::SearchResult,
            &[
                ("count", &rows.len().to_string()),
                ("query", &escape(query.trim())),
            ],
        ),
        buttons,
    })
}

pub(in crate::bot::admin) async fn product(
    tx: &mut PgConnection,
    t: &Texts,
    id: ProductId,
) -> Result<Screen, JobError> {
    let row = sqlx::query!(
        r#"
        SELECT p.code, p.name, p.description, p.terms, p.status,
               c.name AS "category?", c.emoji AS "emoji?",
               count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
               count(pc.id) FILTER (WHERE pc.state = 'reserved') AS "reserved!",
               count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!"
        FROM products p
        LEFT JOIN categories c ON c.id = p.category_id
        LEFT JOIN product_variants v ON v.product_id = p.id
        LEFT JOIN product_contents pc ON pc.variant_id = v.id
        WHERE p.id = $1
        GROUP BY p.id, c.id
        "#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Screen {
            text: t.get(C::ProductGone).to_owned(),
            buttons: vec![back(t, ProductPress::Products { page: 0 })],
        });
    };
    let archived = row.status == "archived";
    let category = match (&row.category, &row.emoji) {
        (Some(name), Some(emoji)) => format!("{emoji} {}", escape(name)),
        _ => t.get(C::Uncategorised).to_owned(),
    };
    let (count, variant_buttons) = variant_rows(tx, t, id).await?;
    let mut text = t.render(
        C::Detail,
        &[
            ("name", &escape(&row.name)),
            ("code", &escape(&row.code)),
            (
                "archived",
                if archived { t.get(C::ArchivedMark) } else { "" },
            ),
            ("category", &category),
            ("stock", &row.stock.to_string()),
            ("reserved", &row.reserved.to_string()),
            ("sold", &row.sold.to_string()),
            (
                "description",
                &if row.description.is_empty() {
                    t.get(C::NoDescription).to_owned()
                } else {
                    escape(&row.description)
                },
            ),
            (
                "terms",
                &row.terms
                    .as_deref()
                    .map_or_else(|| t.get(C::NoTerms).to_owned(), escape),
            ),
        ],
    );
    text.push_str("\n\n");
    text.push_str(&t.render(P::VariantsHeader, &[("count", &count.to_string())]));
    let edit = |label: C, field| button(t.get(label), ProductPress::Edit { id, field });
    let mut buttons = variant_buttons;
    buttons.extend([
        vec![
            edit(C::EditName, Field::Name),
            edit(C::EditDescription, Field::Description),
            edit(C::EditTerms, Field::Terms),
        ],
        vec![
            button(t.get(C::EditCategory), ProductPress::PickCategory { id }),
            button(
                t.get(if archived { C::Unarchive } else { C::Archive }),
                ProductPress::Archive {
                    id,
                    archived: !archived,
                },
            ),
        ],
        back(t, ProductPress::Products { page: 0 }),
    ]);
    Ok(Screen { text, buttons })
}

/// An admin's answer on a product screen (a search, a field's new value).
pub(in crate::bot::admin) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: ProductStep,
    input: &Input<'_>,
) -> Result<Vec<Outgoing>, JobError> {
    let text = input.text;
    let t = &admin.t;
    Ok(match step {
        ProductStep::ProductSearch => {
            conversation::clear(tx, admin.chat).await?;
            vec![message(search(tx, t, text).await?)]
        }
        ProductStep::EditProduct { product_id, field } => {
            let value = match field {
                Field::Name => match valid_name(text, 128) {
                    Some(name) => Some(FieldValue::Text(name)),
                    None => return Ok(vec![ask(t, t.get(C::BadName))]),
                },
                Field::Description | Field::Terms => optional_text(text).map(FieldValue::Text),
                Field::Price
                | Field::LowStock
                | Field::Code
                | Field::Tiers
                | Field::GroupPrices => None,
            };
            save_field(tx, admin, product_id, field, value).await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(product(tx, t, product_id).await?)]
        }
    })
}
