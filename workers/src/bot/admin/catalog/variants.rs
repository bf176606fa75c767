//! A product's variants: listed on its screen, added (one or many lines of `CODE | name |
//! price`), edited (name, code, price, tiers, low-stock threshold), reordered and archived.
//! Each has its own stock (see `stock`).

use serde_json::json;
use sqlx::PgConnection;

use super::super::{Admin, Change, Input, ask, back, button, wait_for};
use super::products::ProductPress;
use super::stock::StockPress;
use super::{price, valid_code, valid_name};
use crate::JobError;
use crate::bot::admin::callback::Field;
use crate::bot::conversation;
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::shop::Rupiah;
use crate::shop::ids::{ProductId, VariantId};
use crate::shop::{price_list, pricing};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{CatalogText as C, PriceText as P, Texts};
use crate::ui::{Button, Outgoing};

/// What the bot waits for from an admin on a variant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum VariantStep {
    AddVariants { product_id: ProductId },
    EditVariant { variant_id: VariantId, field: Field },
}

callbacks! {
    /// An admin's press on a variant.
    pub enum VariantPress = "a:" {
        Variant { id: VariantId } = "r",
        AddVariants { product: ProductId } = "rn",
        EditVariant { id: VariantId, field: Field } = "re",
        MoveVariant { id: VariantId, up: bool } = "rm",
        ArchiveVariant { id: VariantId, archived: bool } = "ra",
    }
}

impl Checked for VariantPress {}

pub(in crate::bot::admin) async fn on_variant(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: VariantPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        VariantPress::Variant { id } => Reply::edit(variant(tx, t, id).await?),
        VariantPress::AddVariants { product } => {
            let step = VariantStep::AddVariants {
                product_id: product,
            };
            return wait_for(tx, admin, step, t.get(P::AddVariantsPrompt), settings).await;
        }
        VariantPress::EditVariant { id, field } => {
            let question = match field {
                Field::Name => t.get(P::AskName),
                Field::Code => t.get(P::AskCode),
                Field::Price => t.get(C::AskPrice),
                Field::Tiers => t.get(P::AskTiers),
                Field::GroupPrices => t.get(P::AskGroupPrices),
                Field::LowStock => t.get(C::AskLowStock),
                Field::Description | Field::Terms => return Ok(super::stale(t)),
            };
            let step = VariantStep::EditVariant {
                variant_id: id,
                field,
            };
            return wait_for(tx, admin, step, question, settings).await;
        }
        VariantPress::MoveVariant { id, up } => {
            move_variant(tx, id, up).await?;
            Reply::edit(variant(tx, t, id).await?)
        }
        VariantPress::ArchiveVariant { id, archived } => {
            let status = if archived { "archived" } else { "active" };
            let changed = sqlx::query_scalar!(
                "UPDATE product_variants SET status = $2, updated_at = now() WHERE id = $1 AND status <> $2 RETURNING id",
                id.get(),
                status
            )
            .fetch_optional(&mut *tx)
            .await?;
            if changed.is_some() {
                let action = if archived {
                    "variant.archive"
                } else {
                    "variant.unarchive"
                };
                let change = Change::of(action, "variant", id).after(json!({ "status": status }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(variant(tx, t, id).await?)
        }
    })
}

/// Swap the variant with its neighbour in the product's order (numbering the order afresh).
async fn move_variant(tx: &mut PgConnection, id: VariantId, up: bool) -> Result<(), JobError> {
    let siblings = sqlx::query_scalar!(
        r#"SELECT v.id FROM product_variants v
           WHERE v.product_id = (SELECT product_id FROM product_variants WHERE id = $1)
           ORDER BY v.sort_order, v.id FOR UPDATE"#,
        id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    let Some(at) = siblings.iter().position(|&v| v == id.get()) else {
        return Ok(());
    };
    let to = if up {
        at.checked_sub(1)
    } else {
        Some(at + 1).filter(|&to| to < siblings.len())
    };
    let Some(to) = to else {
        return Ok(());
    };
    let mut order = siblings;
    order.swap(at, to);
    sqlx::query!(
        r#"UPDATE product_variants v SET sort_order = o.n
           FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, n) WHERE v.id = o.id"#,
        &order
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A product's variants as buttons, for its screen.
pub(in crate::bot::admin) async fn variant_rows(
    tx: &mut PgConnection,
    t: &Texts,
    product: ProductId,
) -> Result<(usize, Vec<Vec<Button>>), JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT v.id, v.name, v.price, v.status,
               count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
               count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!"
        FROM product_variants v LEFT JOIN product_contents pc ON pc.variant_id = v.id
        WHERE v.product_id = $1
        GROUP BY v.id
        ORDER BY v.sort_order, v.id
        "#,
        product.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            let archived = if row.status == "archived" {
                "🗄 "
            } else {
                ""
            };
            let label = t.render(
                P::VariantButton,
                &[
                    ("archived", archived),
                    ("name", &row.name),
                    ("price", &rupiah(row.price)),
                    ("stock", &row.stock.to_string()),
                    ("sold", &row.sold.to_string()),
                ],
            );
            vec![button(
                label,
                VariantPress::Variant {
                    id: VariantId(row.id),
                },
            )]
        })
        .collect();
    buttons.push(vec![button(
        t.get(P::AddVariantButton),
        VariantPress::AddVariants { product },
    )]);
    Ok((rows.len(), buttons))
}

pub(in crate::bot::admin) async fn variant(
    tx: &mut PgConnection,
    t: &Texts,
    id: VariantId,
) -> Result<Screen, JobError> {
    let row = sqlx::query!(
        r#"
        SELECT v.product_id, p.name AS product, v.code, v.name, v.price, v.status,
               v.low_stock_threshold,
               count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
               count(pc.id) FILTER (WHERE pc.state = 'reserved') AS "reserved!",
               count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!"
        FROM product_variants v
        JOIN products p ON p.id = v.product_id
        LEFT JOIN product_contents pc ON pc.variant_id = v.id
        WHERE v.id = $1
        GROUP BY v.id, p.id
        "#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Screen {
            text: t.get(P::VariantGone).to_owned(),
            buttons: vec![back(t, ProductPress::Products { page: 0 })],
        });
    };
    let tiers: Vec<String> = crate::shop::variant::tiers_of(tx, &[id.get()])
        .await?
        .iter()
        .map(|(_, tier)| {
            t.render(
                P::TierItem,
                &[
                    ("quantity", &tier.min_quantity.to_string()),
                    ("price", &rupiah(tier.unit_price)),
                ],
            )
        })
        .collect();
    let groups = sqlx::query!(
        r#"SELECT g.name, gp.price FROM price_group_prices gp JOIN price_groups g ON g.id = gp.group_id
           WHERE gp.variant_id = $1 ORDER BY g.name"#,
        id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    let groups: Vec<String> = groups
        .iter()
        .map(|g| {
            t.render(
                P::GroupItem,
                &[("group", &escape(&g.name)), ("price", &rupiah(g.price))],
            )
        })
        .collect();
    let listed = |items: Vec<String>| {
        if items.is_empty() {
            t.get(P::Nothing).to_owned()
        } else {
            items.join(", ")
        }
    };
    let archived = row.status == "archived";
    let text = t.render(
        P::VariantDetail,
        &[
            ("product", &escape(&row.product)),
            ("name", &escape(&row.name)),
            ("code", &escape(&row.code)),
            (
                "archived",
                if archived { t.get(C::ArchivedMark) } else { "" },
            ),
            ("price", &rupiah(row.price)),
            ("tiers", &listed(tiers)),
            ("groups", &listed(groups)),
            ("stock", &row.stock.to_string()),
            ("reserved", &row.reserved.to_string()),
            ("sold", &row.sold.to_string()),
            (
                "low_stock",
                &row.low_stock_threshold
                    .map_or_else(|| t.get(C::Off).to_owned(), |n| n.to_string()),
            ),
        ],
    );
    let edit = |label: &str, field| button(label, VariantPress::EditVariant { id, field });
    let product = ProductId(row.product_id);
    Ok(Screen {
        text,
        buttons: vec![
            vec![
                edit(t.get(C::EditName), Field::Name),
                edit(t.get(P::EditCode), Field::Code),
                edit(t.get(C::EditPrice), Field::Price),
            ],
            vec![
                edit(t.get(P::EditTiers), Field::Tiers),
                edit(t.get(P::EditGroupPrices), Field::GroupPrices),
                edit(t.get(C::EditLowStock), Field::LowStock),
            ],
            vec![
                button(t.get(C::AddStockButton), StockPress::AddStock { id }),
                button(t.get(C::ContentsButton), StockPress::Stock { id, page: 0 }),
            ],
            vec![
                button(t.get(P::MoveUp), VariantPress::MoveVariant { id, up: true }),
                button(
                    t.get(P::MoveDown),
                    VariantPress::MoveVariant { id, up: false },
                ),
                button(
                    t.get(if archived { C::Unarchive } else { C::Archive }),
                    VariantPress::ArchiveVariant {
                        id,
                        archived: !archived,
                    },
                ),
            ],
            vec![button(
                t.get(P::BackToProduct),
                ProductPress::Product { id: product },
            )],
        ],
    })
}

/// A new variant as an admin writes it: `CODE | name | price`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewVariant {
    pub code: String,
    pub name: String,
    pub price: i64,
}

/// Read lines of `CODE | name | price`; the first bad line is refused with its number and
/// why (the codes' uniqueness is checked against the database by [`create_variants`]).
pub(in crate::bot::admin) fn parse_variants(
    t: &Texts,
    text: &str,
) -> Result<Vec<NewVariant>, String> {
    let mut out: Vec<NewVariant> = Vec::new();
    for (i, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let refuse = |why: String| {
            t.render(
                P::BadVariantLine,
                &[("n", &(i + 1).to_string()), ("why", &why)],
            )
        };
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [code, name, amount] = parts.as_slice() else {
            return Err(refuse(t.get(P::LineShape).to_owned()));
        };
        if !valid_code(code) {
            return Err(refuse(t.get(P::LineCode).to_owned()));
        }
        if out.iter().any(|v| v.code.eq_ignore_ascii_case(code)) {
            let taken = t.render(P::LineCodeTaken, &[("code", &escape(code))]);
            return Err(refuse(taken));
        }
        let Some(name) = valid_name(name, 64) else {
            return Err(refuse(t.get(P::LineName).to_owned()));
        };
        let Some(price) = price(amount) else {
            return Err(refuse(t.get(P::LinePrice).to_owned()));
        };
        out.push(NewVariant {
            code: (*code).to_owned(),
            name,
            price,
        });
    }
    if out.is_empty() {
        return Err(t.render(
            P::BadVariantLine,
            &[("n", "1"), ("why", t.get(P::LineShape))],
        ));
    }
    Ok(out)
}

/// Create `variants` after the product's last; a code already taken refuses them all.
pub(in crate::bot::admin) async fn create_variants(
    tx: &mut PgConnection,
    t: &Texts,
    actor: &str,
    product: ProductId,
    variants: &[NewVariant],
) -> Result<Result<Vec<VariantId>, String>, JobError> {
    let codes: Vec<String> = variants.iter().map(|v| v.code.clone()).collect();
    let taken = sqlx::query_scalar!(
        "SELECT code FROM product_variants WHERE lower(code) = ANY(SELECT lower(c) FROM unnest($1::text[]) AS c) LIMIT 1",
        &codes
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(code) = taken {
        return Ok(Err(t.render(P::CodeTaken, &[("code", &escape(&code))])));
    }
    let names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
    let prices: Vec<i64> = variants.iter().map(|v| v.price).collect();
    let ids = sqlx::query_scalar!(
        r#"INSERT INTO product_variants (product_id, code, name, price, sort_order)
           SELECT $1, v.code, v.name, v.price,
                  (SELECT coalesce(max(sort_order), 0) FROM product_variants WHERE product_id = $1) + v.n::int
           FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS v(code, name, price, n)
           ORDER BY v.n
           RETURNING id"#,
        product.get(),
        &codes,
        &names,
        &prices,
    )
    .fetch_all(&mut *tx)
    .await?;
    let change = Change::of("variant.create", "product", product).after(json!({
        "variants": variants,
    }));
    change.write(tx, actor).await?;
    Ok(Ok(ids.into_iter().map(VariantId).collect()))
}

pub(in crate::bot::admin) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: VariantStep,
    input: &Input<'_>,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let text = input.text.trim();
    match step {
        VariantStep::AddVariants { product_id } => {
            let parsed = match parse_variants(t, text) {
                Ok(parsed) => parsed,
                Err(why) => return Ok(vec![ask(t, why)]),
            };
            let actor = admin.actor();
            match create_variants(tx, t, &actor, product_id, &parsed).await? {
                Err(why) => Ok(vec![ask(t, why)]),
                Ok(ids) => {
                    conversation::clear(tx, admin.chat).await?;
                    let screen = super::products::product(tx, t, product_id).await?;
                    let added = t.render(P::VariantsAdded, &[("count", &ids.len().to_string())]);
                    Ok(vec![Outgoing::text(added), message(screen)])
                }
            }
        }
        VariantStep::EditVariant { variant_id, field } => {
            if let Some(refused) = edit(tx, admin, variant_id, field, text).await? {
                return Ok(vec![ask(t, refused)]);
            }
            conversation::clear(tx, admin.chat).await?;
            Ok(vec![message(variant(tx, t, variant_id).await?)])
        }
    }
}

async fn variant_row(
    tx: &mut PgConnection,
    id: VariantId,
) -> Result<Option<serde_json::Value>, JobError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT to_jsonb(v) - 'created_at' - 'updated_at' - 'low_stock_alerted_at'
                  || jsonb_build_object(
                       'tiers', (SELECT coalesce(jsonb_agg(jsonb_build_array(min_quantity, unit_price) ORDER BY min_quantity), '[]')
                                 FROM variant_tiers WHERE variant_id = v.id),
                       'group_prices', (SELECT coalesce(jsonb_object_agg(group_id, price), '{}')
                                        FROM price_group_prices WHERE variant_id = v.id)) AS "row!"
           FROM product_variants v WHERE id = $1"#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?)
}

/// Save one field from the admin's text; `Some(why)` when the text is refused.
async fn edit(
    tx: &mut PgConnection,
    admin: &Admin,
    id: VariantId,
    field: Field,
    text: &str,
) -> Result<Option<String>, JobError> {
    let t = &admin.t;
    let Some(before) = variant_row(tx, id).await? else {
        return Ok(Some(t.get(P::VariantGone).to_owned()));
    };
    match field {
        Field::Name => {
            let Some(name) = valid_name(text, 64) else {
                return Ok(Some(t.get(P::LineName).to_owned()));
            };
            sqlx::query!(
                "UPDATE product_variants SET name = $2, updated_at = now() WHERE id = $1",
                id.get(),
                name
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Code => {
            if !valid_code(text) {
                return Ok(Some(t.get(P::LineCode).to_owned()));
            }
            let changed = sqlx::query_scalar!(
                r#"UPDATE product_variants SET code = $2, updated_at = now()
                   WHERE id = $1 AND NOT EXISTS (
                       SELECT 1 FROM product_variants WHERE lower(code) = lower($2) AND id <> $1)
                   RETURNING id"#,
                id.get(),
                text
            )
            .fetch_optional(&mut *tx)
            .await?;
            if changed.is_none() {
                return Ok(Some(t.render(P::CodeTaken, &[("code", &escape(text))])));
            }
        }
        Field::Price => {
            let Some(price) = price(text) else {
                return Ok(Some(t.get(C::BadPrice).to_owned()));
            };
            sqlx::query!(
                "UPDATE product_variants SET price = $2, updated_at = now() WHERE id = $1",
                id.get(),
                price
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Tiers => {
            let list = Rupiah(before["price"].as_i64().unwrap_or(i64::MAX));
            let tiers = if text == "-" {
                Vec::new()
            } else {
                match pricing::parse_tiers(text, list) {
                    Ok(tiers) => tiers,
                    Err(why) => {
                        let why = escape(&why.to_string());
                        return Ok(Some(t.render(P::BadTiers, &[("why", &why)])));
                    }
                }
            };
            sqlx::query!("DELETE FROM variant_tiers WHERE variant_id = $1", id.get())
                .execute(&mut *tx)
                .await?;
            let quantities: Vec<i32> = tiers.iter().map(|tier| tier.min_quantity).collect();
            let prices: Vec<i64> = tiers.iter().map(|tier| tier.unit_price.get()).collect();
            sqlx::query!(
                r#"INSERT INTO variant_tiers (variant_id, min_quantity, unit_price)
                   SELECT $1, q, p FROM unnest($2::int[], $3::bigint[]) AS t(q, p)"#,
                id.get(),
                &quantities,
                &prices
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::GroupPrices => match price_list::group_prices(tx, id, text).await? {
            Ok(changes) => {
                price_list::apply(tx, &changes).await?;
            }
            Err(why) => {
                let why = super::super::price_import::refusal(t, &why);
                return Ok(Some(t.render(P::BadGroupPrices, &[("why", &why)])));
            }
        },
        Field::LowStock => {
            let threshold = match text {
                "-" => None,
                number => match number.parse::<i32>() {
                    Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
                    _ => return Ok(Some(t.get(C::BadLowStock).to_owned())),
                },
            };
            sqlx::query!(
                "UPDATE product_variants SET low_stock_threshold = $2, low_stock_alerted_at = NULL, updated_at = now() WHERE id = $1",
                id.get(),
                threshold
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Description | Field::Terms => return Ok(Some(t.get(C::Stale).to_owned())),
    }
    let after = variant_row(tx, id).await?;
    let change = Change::of("variant.update", "variant", id)
        .before(Some(before))
        .after(after);
    admin.audit(tx, change).await?;
    Ok(None)
}
