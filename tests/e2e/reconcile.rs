//! `reconcile`: a consistent shop passes every check; broken stock, money and deliveries are
//! each named with examples and make it exit 1.

use crate::seed::product;
use crate::support::TestDb;

/// Every invariant holds (used after the payment and chaos tests too).
pub async fn assert_reconciled(pool: &sqlx::PgPool) {
    let findings = workers::reconcile::run(pool).await.expect("reconcile");
    assert!(findings.is_empty(), "discrepancies: {findings:#?}");
}

#[tokio::test]
async fn reconcile_names_each_broken_invariant() {
    let db = TestDb::new().await;
    let id = product(&db.pool, "NETFLIX", "Netflix", 25_000, 3).await;
    sqlx::raw_sql(
        r#"INSERT INTO users (telegram_id, first_name, balance) VALUES (1001, 'Ana', 0), (1002, 'Budi', 0);"#,
    )
    .execute(&db.pool)
    .await
    .expect("users");
    let (ok, stdout, stderr) = db.run(&["reconcile"], &[]);
    assert!(ok, "{stdout}{stderr}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert_eq!(stdout.lines().count(), workers::reconcile::checks().count());

    // A paid order, delivered long ago in the customer's eyes but still `paid`, holding one
    // content too many; a balance with no ledger behind it.
    sqlx::query(
        r#"WITH o AS (
             INSERT INTO orders (public_id, user_id, status, payment_method, subtotal, total, paid_at)
             SELECT 'INV-BROKEN', id, 'paid', 'qris', 25000, 25000, now() - interval '30 minutes'
             FROM users WHERE telegram_id = 1001 RETURNING id),
           i AS (INSERT INTO order_items (order_id, product_id, variant_id, product_name, variant_name, unit_price, quantity)
                 SELECT id, $1, $1, 'Netflix', 'Netflix', 25000, 1 FROM o)
           UPDATE product_contents SET state = 'sold', sold_at = now(), order_id = (SELECT id FROM o)
           WHERE id IN (SELECT id FROM product_contents WHERE variant_id = $1 ORDER BY id LIMIT 2)"#,
    )
    .bind(id)
    .execute(&db.pool)
    .await
    .expect("a broken order");
    sqlx::query("UPDATE users SET balance = 5000 WHERE telegram_id = 1002")
        .execute(&db.pool)
        .await
        .expect("a balance out of thin air");
    let (ok, stdout, _) = db.run(&["reconcile"], &[]);
    assert!(!ok);
    for line in [
        "[FAIL] stock.per_item",
        "INV-BROKEN Netflix / Netflix: holds 2, should 1",
        "[FAIL] money.balance",
        "user 1002: balance 5000, ledger 0",
        "[FAIL] orders.undelivered",
        "[ok  ] stock.reserved",
    ] {
        assert!(stdout.contains(line), "{line} missing from:\n{stdout}");
    }
    let (_, json, _) = db.run(&["reconcile", "--json"], &[]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(parsed.as_array().map(Vec::len), Some(3), "{json}");
}
