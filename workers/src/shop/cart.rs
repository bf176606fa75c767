//! The cart: persisted per customer (`carts`, `cart_items`), quantities capped by the stock
//! available at the moment of each change, prices and stock always read live, and a version
//! bumped by every change so a checkout button from before a change is recognised as stale.

use sqlx::PgConnection;

use super::voucher::{self, Rejection};
use crate::JobError;
use crate::shop::ids::ProductId;
use crate::shop::ids::UserId;

/// The most of one product a cart holds (the schema's limit).
const MAX_QUANTITY: i64 = 1000;

/// A change to a product's quantity in the cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Plus,
    Minus,
    /// An exact quantity; 0 removes the product.
    Set(u16),
}

/// A product in the cart, with its live price and stock.
#[derive(Debug, Clone)]
pub struct Line {
    pub product_id: i64,
    pub name: String,
    pub price: i64,
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

/// Bump the cart's version (creating the cart) and return the new version.
async fn bump(tx: &mut PgConnection, user_id: UserId) -> Result<i32, JobError> {
    Ok(sqlx::query_scalar!(
        r#"
        INSERT INTO carts (user_id) VALUES ($1)
        ON CONFLICT (user_id) DO UPDATE SET version = carts.version + 1, updated_at = now()
        RETURNING version
        "#,
        user_id.get()
    )
    .fetch_one(&mut *tx)
    .await?)
}

pub async fn lines(tx: &mut PgConnection, user_id: UserId) -> Result<Vec<Line>, JobError> {
    Ok(sqlx::query_as!(
        Line,
        r#"
        SELECT ci.product_id, p.name, p.price, ci.quantity, p.status = 'active' AS "active!",
               (SELECT count(*) FROM product_contents pc
                WHERE pc.product_id = p.id AND pc.state = 'available') AS "stock!"
        FROM cart_items ci
        JOIN products p ON p.id = ci.product_id
        WHERE ci.user_id = $1
        ORDER BY ci.added_at, ci.product_id
        "#,
        user_id.get()
    )
    .fetch_all(&mut *tx)
    .await?)
}

async fn set_quantity(
    tx: &mut PgConnection,
    user_id: UserId,
    product_id: ProductId,
    quantity: i64,
) -> Result<(), JobError> {
    if quantity <= 0 {
        sqlx::query!(
            "DELETE FROM cart_items WHERE user_id = $1 AND product_id = $2",
            user_id.get(),
            product_id.get()
        )
        .execute(&mut *tx)
        .await?;
        return Ok(());
    }
    let quantity = i32::try_from(quantity.min(MAX_QUANTITY)).unwrap_or(1);
    sqlx::query!(
        r#"
        INSERT INTO cart_items (user_id, product_id, quantity) VALUES ($1, $2, $3)
        ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity
        "#,
        user_id.get(),
        product_id.get(),
        quantity,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Apply `change` to `product_id`, capped by the stock available now.
pub async fn change(
    tx: &mut PgConnection,
    user_id: UserId,
    product_id: crate::shop::ids::ProductId,
    change: Change,
) -> Result<Changed, JobError> {
    bump(tx, user_id).await?;
    let product = sqlx::query!(
        r#"
        SELECT p.name, p.status = 'active' AS "active!",
               (SELECT count(*) FROM product_contents pc
                WHERE pc.product_id = p.id AND pc.state = 'available') AS "stock!",
               (SELECT quantity FROM cart_items WHERE user_id = $2 AND product_id = p.id) AS current
        FROM products p WHERE p.id = $1
        "#,
        product_id.get(),
        user_id.get(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(product) = product.filter(|p| p.active && p.stock > 0) else {
        set_quantity(tx, user_id, product_id, 0).await?;
        return Ok(Changed::Gone);
    };
    let current = i64::from(product.current.unwrap_or(0));
    let wanted = match change {
        Change::Plus => current + 1,
        Change::Minus => current - 1,
        Change::Set(n) => i64::from(n),
    };
    let quantity = wanted.min(product.stock).clamp(0, MAX_QUANTITY);
    set_quantity(tx, user_id, product_id, quantity).await?;
    Ok(if wanted > quantity {
        Changed::Capped {
            name: product.name,
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

/// Only `left` of a product could be had at checkout (others hold or bought the rest, which
/// [`reconcile`] may not see yet): cap it in the cart, saying so.
pub async fn cap(
    tx: &mut PgConnection,
    user_id: UserId,
    (product_id, name): (i64, String),
    left: i64,
) -> Result<Adjustment, JobError> {
    set_quantity(tx, user_id, ProductId(product_id), left).await?;
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
            set_quantity(tx, user_id, ProductId(line.product_id), 0).await?;
            adjustments.push(Adjustment::Removed { name: line.name });
        } else if i64::from(line.quantity) > line.stock {
            set_quantity(tx, user_id, ProductId(line.product_id), line.stock).await?;
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
