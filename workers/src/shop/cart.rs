//! The cart: persisted per customer (`carts`, `cart_items`, one line per variant), quantities
//! capped by the stock available at the moment of each change, prices (tiers, the cart's price
//! group) and stock always read live, and a version bumped by every change so a checkout
//! button from before a change is recognised as stale.

use sqlx::PgConnection;

use super::Rupiah;
use super::ids::{ProductId, UserId, VariantId};
use super::pricing::{self, GroupPrice, PriceRule, Tier};
use super::variant;
use super::voucher::{self, Rejection};
use crate::JobError;

/// The most of one variant a cart holds (the schema's limit).
const MAX_QUANTITY: i64 = 1000;

/// A change to a variant's quantity in the cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Plus,
    Minus,
    /// An exact quantity; 0 removes the product.
    Set(u16),
}

/// A variant in the cart, with its live price for this quantity and its stock.
#[derive(Debug, Clone)]
pub struct Line {
    pub variant_id: VariantId,
    pub product_id: ProductId,
    /// The product's name, with the variant's when it has its own.
    pub name: String,
    /// What one unit costs at this quantity (list price, a tier or the cart's price group).
    pub price: i64,
    pub rule: PriceRule,
    /// The cart's price group, named where its price applies.
    pub group: Option<String>,
    pub quantity: i32,
    pub stock: i64,
    pub active: bool,
}

/// What a quantity change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    Set(i64),
    /// Asked for more than the stock: set to the stock.
    Capped {
        name: String,
        stock: i64,
    },
    /// The product is archived, sold out or unknown: it left the cart.
    Gone,
}

/// A change made to bring the cart in line with the stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjustment {
    Removed { name: String },
    Capped { name: String, stock: i64 },
}

/// The voucher part of a summary.
#[derive(Debug, Clone)]
pub enum VoucherLine {
    Applied { code: String, discount: i64 },
    Rejected { code: String, rejection: Rejection },
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub lines: Vec<Line>,
    pub subtotal: i64,
    pub voucher: Option<VoucherLine>,
    pub discount: i64,
    pub total: i64,
    pub version: i32,
}

/// Bump the cart's version (creating the cart) and return the new version. An empty cart
/// takes the customer's price group now: a group change applies from the next cart on.
async fn bump(tx: &mut PgConnection, user_id: UserId) -> Result<i32, JobError> {
    Ok(sqlx::query_scalar!(
        r#"
        INSERT INTO carts (user_id, price_group_id)
        VALUES ($1, (SELECT price_group_id FROM users WHERE id = $1))
        ON CONFLICT (user_id) DO UPDATE SET
            version = carts.version + 1, updated_at = now(),
            price_group_id = CASE
                WHEN EXISTS (SELECT 1 FROM cart_items ci WHERE ci.user_id = carts.user_id)
                THEN carts.price_group_id ELSE EXCLUDED.price_group_id END
        RETURNING version
        "#,
        user_id.get()
    )
    .fetch_one(&mut *tx)
    .await?)
}

pub async fn lines(tx: &mut PgConnection, user_id: UserId) -> Result<Vec<Line>, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT ci.variant_id, v.product_id, p.name AS product, v.name AS variant, v.price,
               ci.quantity, v.status = 'active' AND p.status = 'active' AS "active!",
               (SELECT count(*) FROM product_contents pc
                WHERE pc.variant_id = v.id AND pc.state = 'available') AS "stock!",
               t.min_quantity AS "tier_quantity?", t.unit_price AS "tier_price?",
               g.name AS "group_name?", g.percent_off AS "percent_off?", gp.price AS "group_price?"
        FROM cart_items ci
        JOIN carts c ON c.user_id = ci.user_id
        JOIN product_variants v ON v.id = ci.variant_id
        JOIN products p ON p.id = v.product_id
        LEFT JOIN LATERAL (
            SELECT min_quantity, unit_price FROM variant_tiers
            WHERE variant_id = v.id AND min_quantity <= ci.quantity
            ORDER BY min_quantity DESC LIMIT 1
        ) t ON true
        LEFT JOIN price_groups g ON g.id = c.price_group_id
        LEFT JOIN price_group_prices gp ON gp.group_id = g.id AND gp.variant_id = v.id
        WHERE ci.user_id = $1
        ORDER BY ci.added_at, ci.variant_id
        "#,
        user_id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let tier = row
                .tier_quantity
                .zip(row.tier_price)
                .map(|(q, price)| Tier {
                    min_quantity: q,
                    unit_price: Rupiah(price),
                });
            let group = row
                .group_name
                .as_ref()
                .and(GroupPrice::from_columns(row.group_price, row.percent_off));
            let unit = pricing::unit_price(Rupiah(row.price), tier.as_slice(), group, row.quantity);
            Line {
                variant_id: VariantId(row.variant_id),
                product_id: ProductId(row.product_id),
                name: variant::label(&row.product, &row.variant),
                price: unit.price.get(),
                rule: unit.rule,
                group: row.group_name,
                quantity: row.quantity,
                stock: row.stock,
                active: row.active,
            }
        })
        .collect())
}

async fn set_quantity(
    tx: &mut PgConnection,
    user_id: UserId,
    variant_id: VariantId,
    quantity: i64,
) -> Result<(), JobError> {
    if quantity <= 0 {
        sqlx::query!(
            "DELETE FROM cart_items WHERE user_id = $1 AND variant_id = $2",
            user_id.get(),
            variant_id.get()
        )
        .execute(&mut *tx)
        .await?;
        return Ok(());
    }
    let quantity = i32::try_from(quantity.min(MAX_QUANTITY)).unwrap_or(1);
    sqlx::query!(
        r#"
        INSERT INTO cart_items (user_id, variant_id, quantity) VALUES ($1, $2, $3)
        ON CONFLICT (user_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity
        "#,
        user_id.get(),
        variant_id.get(),
        quantity,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Apply `change` to `variant_id`, capped by the stock available now.
pub async fn change(
    tx: &mut PgConnection,
    user_id: UserId,
    variant_id: VariantId,
    change: Change,
) -> Result<Changed, JobError> {
    bump(tx, user_id).await?;
    let product = sqlx::query!(
        r#"
        SELECT p.name AS product, v.name AS variant,
               v.status = 'active' AND p.status = 'active' AS "active!",
               (SELECT count(*) FROM product_contents pc
                WHERE pc.variant_id = v.id AND pc.state = 'available') AS "stock!",
               (SELECT quantity FROM cart_items WHERE user_id = $2 AND variant_id = v.id) AS current
        FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = $1
        "#,
        variant_id.get(),
        user_id.get(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(product) = product.filter(|p| p.active && p.stock > 0) else {
        set_quantity(tx, user_id, variant_id, 0).await?;
        return Ok(Changed::Gone);
    };
    let current = i64::from(product.current.unwrap_or(0));
    let wanted = match change {
        Change::Plus => current + 1,
        Change::Minus => current - 1,
        Change::Set(n) => i64::from(n),
    };
    let quantity = wanted.min(product.stock).clamp(0, MAX_QUANTITY);
    set_quantity(tx, user_id, variant_id, quantity).await?;
    Ok(if wanted > quantity {
        Changed::Capped {
            name: variant::label(&product.product, &product.variant),
            stock: quantity,
        }
    } else {
        Changed::Set(quantity)
    })
}

pub async fn empty(tx: &mut PgConnection, user_id: UserId) -> Result<(), JobError> {
    bump(tx, user_id).await?;
    sqlx::query!("DELETE FROM cart_items WHERE user_id = $1", user_id.get())
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "UPDATE carts SET voucher_id = NULL WHERE user_id = $1",
        user_id.get()
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn set_voucher(
    tx: &mut PgConnection,
    user_id: UserId,
    voucher_id: Option<i64>,
) -> Result<(), JobError> {
    bump(tx, user_id).await?;
    sqlx::query!(
        "UPDATE carts SET voucher_id = $2 WHERE user_id = $1",
        user_id.get(),
        voucher_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Only `left` of a variant could be had at checkout (others hold or bought the rest, which
/// [`reconcile`] may not see yet): cap it in the cart, saying so.
pub async fn cap(
    tx: &mut PgConnection,
    user_id: UserId,
    (variant_id, name): (VariantId, String),
    left: i64,
) -> Result<Adjustment, JobError> {
    set_quantity(tx, user_id, variant_id, left).await?;
    bump(tx, user_id).await?;
    Ok(if left <= 0 {
        Adjustment::Removed { name }
    } else {
        Adjustment::Capped { name, stock: left }
    })
}

/// Remove what is sold out or archived and cap what exceeds the stock, saying what changed.
pub async fn reconcile(
    tx: &mut PgConnection,
    user_id: UserId,
) -> Result<Vec<Adjustment>, JobError> {
    let mut adjustments = Vec::new();
    for line in lines(tx, user_id).await? {
        if !line.active || line.stock == 0 {
            set_quantity(tx, user_id, line.variant_id, 0).await?;
            adjustments.push(Adjustment::Removed { name: line.name });
        } else if i64::from(line.quantity) > line.stock {
            set_quantity(tx, user_id, line.variant_id, line.stock).await?;
            adjustments.push(Adjustment::Capped {
                name: line.name,
                stock: line.stock,
            });
        }
    }
    if !adjustments.is_empty() {
        bump(tx, user_id).await?;
    }
    Ok(adjustments)
}

/// The cart with live prices, its voucher checked against the subtotal now.
pub async fn summary(tx: &mut PgConnection, user_id: UserId) -> Result<Summary, JobError> {
    let cart = sqlx::query!(
        "SELECT version, voucher_id FROM carts WHERE user_id = $1",
        user_id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let lines = lines(tx, user_id).await?;
    let subtotal = lines
        .iter()
        .map(|line| line.price.saturating_mul(i64::from(line.quantity)))
        .fold(0_i64, i64::saturating_add);
    let voucher_id = cart.as_ref().and_then(|cart| cart.voucher_id);
    let voucher = match voucher_id {
        None => None,
        Some(id) => match voucher::find(tx, voucher::Key::Id(id)).await? {
            None => None,
            Some(v) => Some(match voucher::check(tx, &v, user_id, subtotal).await? {
                Ok(discount) => VoucherLine::Applied {
                    code: v.code,
                    discount,
                },
                Err(rejection) => VoucherLine::Rejected {
                    code: v.code,
                    rejection,
                },
            }),
        },
    };
    let discount = match &voucher {
        Some(VoucherLine::Applied { discount, .. }) => *discount,
        _ => 0,
    };
    Ok(Summary {
        subtotal,
        discount,
        total: subtotal - discount,
        voucher,
        lines,
        version: cart.map_or(0, |cart| cart.version),
    })
}
