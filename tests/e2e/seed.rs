//! Shared set-up for the shop and admin tests: products with contents, and waiting for the
//! bot to finish what it was sent.

use sqlx::PgPool;

use crate::support::eventually;

/// A product with `stock` contents; returns its id.
pub async fn product(pool: &PgPool, code: &str, name: &str, price: i64, stock: usize) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (code, name, price, description) VALUES ($1, $2, $3, 'Akun premium') RETURNING id",
    )
    .bind(code)
    .bind(name)
    .bind(price)
    .fetch_one(pool)
    .await
    .expect("product");
    contents(pool, id, (0..stock).map(|n| format!("{code}-secret-<{n}>"))).await;
    id
}

/// Add `contents` to `product`'s stock.
pub async fn contents(pool: &PgPool, product: i64, contents: impl IntoIterator<Item = String>) {
    for content in contents {
        sqlx::query("INSERT INTO product_contents (product_id, content) VALUES ($1, $2)")
            .bind(product)
            .bind(content)
            .execute(pool)
            .await
            .expect("content");
    }
}

/// Wait until every update received so far is handled and every reply batch is sent (paced
/// as Telegram wants: about one new message a second per chat, so a chat with a backlog takes
/// its time).
pub async fn settled(pool: &PgPool) {
    eventually(
        "every update handled and every reply sent",
        std::time::Duration::from_secs(120),
        || async {
            let left: i64 = sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM telegram_updates WHERE handled_at IS NULL)
                  + (SELECT count(*) FROM telegram_outbox WHERE status = 'pending')",
            )
            .fetch_one(pool)
            .await
            .expect("count");
            (left == 0).then_some(())
        },
    )
    .await;
}
