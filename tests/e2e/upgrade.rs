//! The upgrade to variants (#17) on a shop filled under the schema before it: every product
//! becomes a product of one variant, and its contents, carts, orders, terms and stats still
//! read right.

use std::path::Path;

use sqlx::migrate::Migrator;

use crate::support::TestDb;

/// A variant as the upgrade wrote it: id, product, code, name, price, threshold, status.
type VariantRow = (i64, i64, String, String, i64, Option<i32>, String);

/// The last migration before variants.
const BEFORE_VARIANTS: u32 = 15;

/// Apply apalis's migrations and ours up to `last`, as a shop that has not upgraded has them.
async fn migrate_to(db: &TestDb, last: u32) {
    apalis_postgres::PostgresStorage::migrations()
        .run(&db.pool)
        .await
        .expect("apalis migrations");
    let dir = db.dir.path().join("migrations");
    std::fs::create_dir_all(&dir).expect("dir");
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"))
        .expect("migrations")
    {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let version: u32 = name
            .get(..4)
            .and_then(|v| v.parse().ok())
            .unwrap_or(u32::MAX);
        if version <= last {
            std::fs::copy(&path, dir.join(&name)).expect("copy");
        }
    }
    Migrator::new(dir.as_path())
        .await
        .expect("read migrations")
        .run(&db.pool)
        .await
        .expect("migrate to the old schema");
}

#[tokio::test]
async fn a_shop_filled_before_variants_upgrades_without_losing_anything() {
    let db = TestDb::empty().await;
    migrate_to(&db, BEFORE_VARIANTS).await;
    // The old schema: a price and a threshold on the product, contents, carts and order lines
    // by product.
    sqlx::raw_sql(
        r#"
        INSERT INTO users (id, telegram_id, first_name) VALUES (1, 1001, 'Ana'), (2, 1002, 'Budi');
        INSERT INTO products (id, code, name, price, terms, low_stock_threshold, status) VALUES
            (10, 'NETFLIX1M', 'Netflix 1 Bulan', 35000, 'Satu perangkat saja', 2, 'active'),
            (11, 'SPOTIFY', 'Spotify Family', 20000, NULL, NULL, 'archived');
        SELECT setval('products_id_seq', 11);
        INSERT INTO orders (id, public_id, user_id, status, payment_method, subtotal, total, paid_at, delivered_at)
            VALUES (100, 'INV-OLD-1', 1, 'delivered', 'balance', 70000, 70000, now(), now()),
                   (101, 'INV-OLD-2', 2, 'awaiting_payment', 'qris', 20000, 20000, NULL, NULL);
        UPDATE orders SET expires_at = now() + interval '1 hour' WHERE id = 101;
        INSERT INTO balance_ledger (user_id, delta, balance_after, reason, actor, order_id) VALUES
            (1, 70000, 70000, 'adjustment', 'test', NULL), (1, -70000, 0, 'purchase', 'customer', 100);
        INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity) VALUES
            (100, 10, 'Netflix 1 Bulan', 35000, 2), (101, 11, 'Spotify Family', 20000, 1);
        INSERT INTO product_contents (product_id, content, state, order_id, reserved_at, sold_at) VALUES
            (10, 'nf-a', 'sold', 100, now(), now()), (10, 'nf-b', 'sold', 100, now(), now()),
            (10, 'nf-c', 'available', NULL, NULL, NULL), (10, 'nf-d', 'available', NULL, NULL, NULL),
            (11, 'sp-a', 'reserved', 101, now(), NULL), (11, 'sp-b', 'available', NULL, NULL, NULL);
        INSERT INTO carts (user_id) VALUES (2);
        INSERT INTO cart_items (user_id, product_id, quantity) VALUES (2, 10, 1);
        INSERT INTO terms_submissions (order_id, product_id, user_id, text) VALUES (100, 10, 1, 'done');
        "#,
    )
    .execute(&db.pool)
    .await
    .expect("the old shop");

    bot_auto_order::db::migrate(&db.pool)
        .await
        .expect("upgrade");

    let variants: Vec<VariantRow> = sqlx::query_as(
        "SELECT id, product_id, code, name, price, low_stock_threshold, status
         FROM product_variants ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .expect("variants");
    assert_eq!(
        variants,
        vec![
            (
                10,
                10,
                "NETFLIX1M".into(),
                "Netflix 1 Bulan".into(),
                35_000,
                Some(2),
                "active".into()
            ),
            (
                11,
                11,
                "SPOTIFY".into(),
                "Spotify Family".into(),
                20_000,
                None,
                "archived".into()
            ),
        ]
    );
    let stock: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT variant_id, state, count(*) FROM product_contents GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .fetch_all(&db.pool)
    .await
    .expect("stock");
    assert_eq!(
        stock,
        vec![
            (10, "available".into(), 2),
            (10, "sold".into(), 2),
            (11, "available".into(), 1),
            (11, "reserved".into(), 1),
        ]
    );
    let cart: (i64, i32) = sqlx::query_as("SELECT variant_id, quantity FROM cart_items")
        .fetch_one(&db.pool)
        .await
        .expect("cart");
    assert_eq!(cart, (10, 1));
    let mut conn = db.pool.acquire().await.expect("conn");
    let items = workers::shop::order::items(&mut conn, 100)
        .await
        .expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(
        (
            items[0].name.as_str(),
            items[0].unit_price.get(),
            items[0].quantity
        ),
        ("Netflix 1 Bulan", 35_000, 2),
        "the history reads as before: a product of one variant by its own name"
    );
    let terms = db
        .scalar("SELECT count(*) FROM terms_submissions t JOIN order_items i USING (order_id, product_id)")
        .await;
    assert_eq!(terms, 1, "the proof still names its order's product");
    let rules = db
        .scalar("SELECT count(*) FROM order_items WHERE price_rule = 'list'")
        .await;
    assert_eq!(rules, 2);
    // A product made after the upgrade takes an id no old variant has.
    let fresh: i64 = sqlx::query_scalar(
        "WITH p AS (INSERT INTO products (code, name) VALUES ('NEW', 'New') RETURNING id)
         INSERT INTO product_variants (product_id, code, name, price) SELECT id, 'NEW1', 'New', 1000 FROM p
         RETURNING id",
    )
    .fetch_one(&db.pool)
    .await
    .expect("new variant");
    assert!(fresh > 12, "{fresh}");
    crate::reconcile::assert_reconciled(&db.pool).await;
}
