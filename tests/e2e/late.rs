//! Orders that close unpaid: expiry, the cancel button, the sweep, Pakasir down at invoice time, and payments that come late or without a webhook.

use std::time::Duration;

use bot_auto_order::standin::pakasir::Fault;

use crate::chat::{Customer, WAIT, button};
use crate::payments::{
    OWNER, Shop, events_handled, order_of, product, qris_shop, wait_status, with_cart,
};
use crate::support::{TestDb, eventually};

/// A QRIS shop whose invoices expire in two seconds, and Ana holding one for a product
/// `code` with `stock` contents: (shop, Ana, order id, order reference).
async fn short_invoice(
    db: &TestDb,
    code: &str,
    price: i64,
    stock: usize,
) -> (Shop, Customer, i64, String) {
    let a = product(&db.pool, code, price, stock).await;
    let shop = qris_shop(db, &[]).await;
    shop.pakasir.set_lifetime(Duration::from_secs(2));
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 1).await;
    ana.press("pay:qris:7");
    ana.next("sendphoto").await;
    let (order, public_id, _) = order_of(&db.pool, ana.id).await;
    (shop, ana, order, public_id)
}

#[tokio::test]
async fn pakasir_down_at_invoice_time_releases_the_reservation() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "ZOOM", 30_000, 1).await;
    let shop = qris_shop(&db, &[]).await;
    shop.pakasir
        .fail("transactioncreate", Fault::ServerError, 100);
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 1).await;
    ana.press("pay:qris:7");
    let (order, _, _) = order_of(&db.pool, ana.id).await;
    wait_status(&db.pool, order, "cancelled").await;
    // The "invoice on its way" message becomes the failure.
    let told = loop {
        let screen = ana.next_screen().await;
        let text = screen.text().unwrap_or("").to_owned();
        if text.contains("gagal dibuat") {
            break text;
        }
    };
    assert!(told.contains("Tidak ada yang ditagih"), "{told}");
    let available = db
        .scalar_for(
            "SELECT count(*) FROM product_contents WHERE variant_id = $1 AND state = 'available'",
            a,
        )
        .await;
    assert_eq!(available, 1, "reservation released");
    let invoice: String = sqlx::query_scalar("SELECT status FROM invoices WHERE order_id = $1")
        .bind(order)
        .fetch_one(&db.pool)
        .await
        .expect("the record is kept");
    assert_eq!(invoice, "failed");
}

#[tokio::test]
async fn an_expired_invoice_closes_once_and_a_late_payment_is_resold() {
    let db = TestDb::new().await;
    let (shop, mut ana, order, public_id) = short_invoice(&db, "DISNEY", 15_000, 2).await;
    wait_status(&db.pool, order, "expired").await;
    ana.next("deletemessage").await;
    let expired = loop {
        let text = ana.next_text().await;
        if text.contains("habis") {
            break text;
        }
    };
    assert!(expired.contains(&public_id), "{expired}");
    eventually("the transaction cancelled at Pakasir", WAIT, || async {
        (shop.pakasir.transaction(&public_id).map(|t| t.status) == Some("cancelled".to_owned()))
            .then_some(())
    })
    .await;
    let available = db
        .scalar_for(
            "SELECT count(*) FROM product_contents c JOIN order_items i USING (variant_id)
             WHERE i.order_id = $1 AND c.state = 'available'",
            order,
        )
        .await;
    assert_eq!(available, 2, "released");

    // The customer paid anyway (a bank delay): the product is still in stock, so it is sold.
    let late = shop.pakasir.notice(&public_id, 15_000);
    shop.pakasir.claim_status(&public_id, "completed");
    assert_eq!(shop.pakasir.post_webhook(&late).await, Ok(200));
    wait_status(&db.pool, order, "delivered").await;
    let outcome: Option<String> =
        sqlx::query_scalar("SELECT late_outcome FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(&db.pool)
            .await
            .expect("outcome");
    assert_eq!(outcome.as_deref(), Some("resold"));
    let expiry_notices = ana
        .delivered()
        .iter()
        .filter(|c| c.text().is_some_and(|t| t.contains("habis")))
        .count();
    assert_eq!(expiry_notices, 1, "told once");
}

#[tokio::test]
async fn the_cancel_button_releases_at_once_and_a_late_payment_without_stock_is_credited() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "YOUTUBE", 12_000, 1).await;
    let shop = qris_shop(&db, &[]).await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 1).await;
    ana.press("pay:qris:7");
    let invoice = ana.next("sendphoto").await;
    let (order, public_id, _) = order_of(&db.pool, ana.id).await;
    let cancel = button(&invoice, "❌ Batalkan pesanan").expect("cancel button");
    ana.press(&cancel);
    wait_status(&db.pool, order, "cancelled").await;
    // Someone else buys the last one.
    sqlx::query("DELETE FROM product_contents WHERE variant_id = $1")
        .bind(a)
        .execute(&db.pool)
        .await
        .expect("sold elsewhere");
    shop.pakasir.claim_status(&public_id, "completed");
    let late = shop.pakasir.notice(&public_id, 12_000);
    assert_eq!(shop.pakasir.post_webhook(&late).await, Ok(200));
    events_handled(&db.pool, 1).await;
    let balance: i64 = sqlx::query_scalar("SELECT balance FROM users WHERE telegram_id = $1")
        .bind(ana.id)
        .fetch_one(&db.pool)
        .await
        .expect("balance");
    assert_eq!(balance, 12_000, "credited, never lost");
    let credited = loop {
        let text = ana.next_text().await;
        if text.contains("saldo") {
            break text;
        }
    };
    assert!(credited.contains("Rp 12.000"), "{credited}");
    // The staff's order alert says the money came and where it went.
    eventually("the owner's alert says credited", WAIT, || async {
        shop.api
            .delivered_to(OWNER)
            .iter()
            .any(|c| {
                c.method == "editmessagetext"
                    && c.text().is_some_and(|t| {
                        t.contains(&public_id) && t.contains("dikreditkan ke saldo pelanggan")
                    })
            })
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_sweep_closes_an_overdue_order_whose_expiry_job_was_lost() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "VIDIO", 9_000, 1).await;
    let shop = qris_shop(&db, &[("MAINTENANCE_EVERY", "1s")]).await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    ana.say("/start");
    ana.next_text().await;
    let order: i64 = sqlx::query_scalar(
        r#"WITH o AS (
               INSERT INTO orders (public_id, user_id, payment_method, subtotal, total, expires_at)
               SELECT 'INV-LOST', id, 'qris', 9000, 9000, now() - interval '5 minutes'
               FROM users WHERE telegram_id = 1001 RETURNING id
           ), r AS (
               UPDATE product_contents SET state = 'reserved', order_id = (SELECT id FROM o), reserved_at = now()
               WHERE variant_id = $1
           )
           SELECT id FROM o"#,
    )
    .bind(a)
    .fetch_one(&db.pool)
    .await
    .expect("an order whose close job never existed");
    wait_status(&db.pool, order, "expired").await;
    let available = db
        .scalar_for(
            "SELECT count(*) FROM product_contents WHERE variant_id = $1 AND state = 'available'",
            a,
        )
        .await;
    assert_eq!(available, 1, "released");
    let told = loop {
        let text = ana.next_text().await;
        if text.contains("INV-LOST") {
            break text;
        }
    };
    assert!(told.contains("habis"), "{told}");
}

#[tokio::test]
async fn an_invoice_paid_without_a_webhook_is_found_at_expiry_and_delivered() {
    let db = TestDb::new().await;
    let (shop, ana, order, public_id) = short_invoice(&db, "MAX", 11_000, 1).await;
    // Paid at Pakasir, but the webhook never arrives.
    shop.pakasir.claim_status(&public_id, "completed");
    wait_status(&db.pool, order, "delivered").await;
    let source: String =
        sqlx::query_scalar("SELECT source FROM payment_events WHERE verdict = 'accepted'")
            .fetch_one(&db.pool)
            .await
            .expect("the payment, found by the expiry check");
    assert_eq!(source, "expiry-check");
    let expired = ana
        .delivered()
        .iter()
        .filter(|c| c.text().is_some_and(|t| t.contains("habis")))
        .count();
    assert_eq!(expired, 0, "never told it expired");
}
