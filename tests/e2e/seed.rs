//! Shared set-up for the shop and admin tests: products with contents, and waiting for the
//! bot to finish what it was sent.

use sqlx::PgPool;

use crate::support::eventually;

/// A product with `stock` contents; returns its id.
pub async fn product(pool: &PgPool, code: &str, name: &str, price: i64, stock: usize) -> i64 {
    let id = listed(pool, code, name, price, None, "Akun premium").await;
    contents(pool, id, (0..stock).map(|n| format!("{code}-secret-<{n}>"))).await;
    id
}

/// A product of one variant, as a shop that sold it before variants has it after the
/// upgrade: the variant carries the product's code, name, price and id. Returns the id.
pub async fn listed(
    pool: &PgPool,
    code: &str,
    name: &str,
    price: i64,
    category: Option<i64>,
    description: &str,
) -> i64 {
    sqlx::query_scalar(
        r#"WITH p AS (INSERT INTO products (code, name, category_id, description)
                      VALUES ($1, $2, $4, $5) RETURNING id)
           INSERT INTO product_variants (id, product_id, code, name, price)
           SELECT id, id, $1, left($2, 64), $3 FROM p RETURNING id"#,
    )
    .bind(code)
    .bind(name)
    .bind(price)
    .bind(category)
    .bind(description)
    .fetch_one(pool)
    .await
    .expect("product")
}

/// A product named `name` with `variants` (code, name, price, stock) in that order;
/// returns its id and its variants' ids.
pub async fn with_variants(
    pool: &PgPool,
    code: &str,
    name: &str,
    variants: &[(&str, &str, i64, usize)],
) -> (i64, Vec<i64>) {
    let product: i64 = sqlx::query_scalar(
        "INSERT INTO products (code, name, description) VALUES ($1, $2, 'Akun premium') RETURNING id",
    )
    .bind(code)
    .bind(name)
    .fetch_one(pool)
    .await
    .expect("product");
    let mut ids = Vec::new();
    for (n, (code, name, price, stock)) in variants.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            r#"INSERT INTO product_variants (product_id, code, name, price, sort_order)
               VALUES ($1, $2, $3, $4, $5) RETURNING id"#,
        )
        .bind(product)
        .bind(code)
        .bind(name)
        .bind(price)
        .bind(i32::try_from(n).expect("a few variants"))
        .fetch_one(pool)
        .await
        .expect("variant");
        contents(
            pool,
            id,
            (0..*stock).map(|n| format!("{code}-secret-<{n}>")),
        )
        .await;
        ids.push(id);
    }
    (product, ids)
}

/// Add `contents` to a variant's stock (a product of one variant: the product's id).
pub async fn contents(pool: &PgPool, variant: i64, contents: impl IntoIterator<Item = String>) {
    for content in contents {
        sqlx::query("INSERT INTO product_contents (variant_id, content) VALUES ($1, $2)")
            .bind(variant)
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
