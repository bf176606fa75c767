//! Orders awaiting payment, prepared straight in the database for the benchmarks that pay or
//! expire them: included by path (`#[path = "common/orders.rs"] mod orders;`).

use anyhow::Context;
use bot_auto_order::standin::pakasir::PakasirStandin;
use sqlx::PgPool;

/// `count` customers, each with an order awaiting payment until `expires_in_seconds` from
/// now: one reserved content and an open invoice, known to the stand-in Pakasir as pending.
/// Returns (chat, order id at Pakasir, order id), in order.
pub async fn prepare(
    pool: &PgPool,
    pakasir: &PakasirStandin,
    count: usize,
    expires_in_seconds: f64,
) -> anyhow::Result<Vec<(i64, String, i64)>> {
    let count = i64::try_from(count)?;
    sqlx::raw_sql(
        "INSERT INTO products (code, name) VALUES ('BENCH', 'Bench product');
         INSERT INTO product_variants (product_id, code, name, price)
             SELECT id, code, name, 10000 FROM products",
    )
    .execute(pool)
    .await?;
    sqlx::query(
        r#"
        WITH u AS (
            INSERT INTO users (telegram_id, first_name)
            SELECT 1000000 + n, 'Buyer' FROM generate_series(1, $1) n RETURNING id, telegram_id
        ), o AS (
            INSERT INTO orders (public_id, user_id, payment_method, subtotal, total, expires_at)
            SELECT 'INV-B' || telegram_id, id, 'qris', 10000, 10000,
                   now() + make_interval(secs => $2) FROM u
            RETURNING id, user_id, public_id, expires_at
        ), i AS (
            INSERT INTO order_items (order_id, product_id, variant_id, product_name, variant_name,
                                     unit_price, quantity)
            SELECT o.id, v.product_id, v.id, v.name, v.name, 10000, 1 FROM o, product_variants v
        ), v AS (
            INSERT INTO invoices (order_id, user_id, gateway_order_id, amount, status, fee, total_payment, expires_at)
            SELECT id, user_id, public_id, 10000, 'open', 380, 10380, expires_at FROM o
        )
        INSERT INTO product_contents (variant_id, content, state, order_id, reserved_at)
        SELECT v.id, 'code-' || o.public_id, 'reserved', o.id, now() FROM o, product_variants v
        "#,
    )
    .bind(count)
    .bind(expires_in_seconds)
    .execute(pool)
    .await
    .context("prepare orders")?;
    sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await?;
    let orders: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT u.telegram_id, o.public_id, o.id FROM orders o JOIN users u ON u.id = o.user_id ORDER BY o.id",
    )
    .fetch_all(pool)
    .await?;
    for (_, public_id, _) in &orders {
        pakasir.insert(public_id, 10_000, "pending");
    }
    Ok(orders)
}
