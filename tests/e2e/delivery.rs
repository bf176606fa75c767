//! Goods and credit that arrive exactly once however the work is interrupted: a payment before its invoice photo, a worker dying mid-delivery, a deposit.

use bot_auto_order::standin::telegram::TelegramStandin;

use crate::chat::{Customer, WAIT};
use crate::payments::{events_handled, order_of, product, qris_shop, wait_status, with_cart};
use crate::support::{TestDb, eventually};

#[tokio::test]
pub(crate) async fn a_deposit_by_qris_credits_the_balance_once() {
    let db = TestDb::new().await;
    let shop = qris_shop(&db, &[]).await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    ana.say("/start");
    ana.next_text().await;
    ana.say("💰 Deposit");
    assert!(ana.next_text().await.contains("min Rp 10.000"));
    ana.say("5000");
    assert!(
        ana.next_text()
            .await
            .contains("antara Rp 10.000 dan Rp 5.000.000")
    );
    ana.say("Rp 50.000");
    let preparing = ana.next_text().await;
    assert!(preparing.contains("sebesar Rp 50.000"), "{preparing}");
    let invoice = ana.next("sendphoto").await;
    let caption = invoice.text().unwrap_or("");
    assert!(caption.contains("Total bayar: Rp 50.660"), "{caption}");
    let public_id: String = sqlx::query_scalar("SELECT public_id FROM deposits")
        .fetch_one(&db.pool)
        .await
        .expect("deposit");
    for _ in 0..3 {
        assert_eq!(shop.pakasir.pay(&public_id).await, Ok(200));
    }
    events_handled(&db.pool, 3).await;
    let credited = loop {
        let text = ana.next_text().await;
        if text.contains("masuk") {
            break text;
        }
    };
    assert!(
        credited.contains("Saldo kamu sekarang Rp 50.000"),
        "{credited}"
    );
    ana.next("deletemessage").await;
    let (balance, credits): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT balance FROM users WHERE telegram_id = 1001),
                (SELECT count(*) FROM balance_ledger WHERE reason = 'deposit')",
    )
    .fetch_one(&db.pool)
    .await
    .expect("balance");
    assert_eq!((balance, credits), (50_000, 1), "credited once");
}

#[tokio::test]
pub(crate) async fn a_payment_arriving_before_its_invoice_photo_still_delivers_once() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "HBO", 20_000, 1).await;
    let shop = qris_shop(&db, &[]).await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 1).await;
    // The photo cannot go out yet: Telegram answers 5xx three times (each retried at once by
    // the queue's backoff, not after teloxide's fixed 10 s pause: sending is our own client).
    shop.api.fail(
        Some("sendPhoto"),
        bot_auto_order::standin::telegram::Fault::ServerError,
        3,
    );
    ana.press("pay:qris:7");
    let (order, public_id, _) = order_of(&db.pool, ana.id).await;
    eventually("the transaction at Pakasir", WAIT, || async {
        shop.pakasir.transaction(&public_id).map(|_| ())
    })
    .await;
    assert_eq!(shop.pakasir.pay(&public_id).await, Ok(200));
    wait_status(&db.pool, order, "delivered").await;
    let delivery = loop {
        let text = ana.next_text().await;
        if text.contains("Pembayaran berhasil") {
            break text;
        }
    };
    assert!(delivery.contains("HBO-key-&lt;0&gt;"), "{delivery}");
    // The photo went out first (chat order), replacing the "invoice on its way" message, then
    // was deleted by the delivery.
    let calls: Vec<(String, i64)> = ana
        .delivered()
        .iter()
        .filter(|c| c.method == "sendphoto" || c.method == "deletemessage")
        .map(|c| (c.method.clone(), c.body["message_id"].as_i64().unwrap_or(0)))
        .collect();
    let photo = ana
        .delivered()
        .iter()
        .find(|c| c.method == "sendphoto")
        .and_then(|c| c.message_id)
        .expect("the photo");
    assert_eq!(
        calls,
        [
            ("sendphoto".to_owned(), 0),
            ("deletemessage".to_owned(), crate::chat::SCREEN),
            ("deletemessage".to_owned(), photo)
        ],
        "{calls:?}"
    );
}

#[tokio::test]
pub(crate) async fn a_paid_order_whose_worker_died_mid_delivery_is_delivered_exactly_once() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "PRIME", 7_000, 1).await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let env = [
        ("TELEGRAM_BOT_TOKEN", "123:TEST"),
        ("TELEGRAM_API_URL", api.url.as_str()),
        ("JOB_HEARTBEAT", "1s"),
        ("JOB_RESCUE_AFTER", "2s"),
    ];
    let mut doomed = db.spawn(&["worker", "--queues", "payments"], &env);
    crate::support::wait_for_workers(&db.pool, "payments", 1).await;
    let order: i64 = sqlx::query_scalar(
        r#"WITH u AS (INSERT INTO users (telegram_id, first_name) VALUES (1001, 'Ana') RETURNING id),
                o AS (INSERT INTO orders (public_id, user_id, status, payment_method, subtotal, total, paid_at)
                      SELECT 'INV-KILL', id, 'paid', 'qris', 7000, 7000, now() FROM u RETURNING id),
                i AS (INSERT INTO order_items (order_id, product_id, variant_id, product_name, variant_name, unit_price, quantity)
                      SELECT id, $1, $1, 'PRIME', 'PRIME', 7000, 1 FROM o),
                c AS (UPDATE product_contents SET state = 'sold', order_id = (SELECT id FROM o), sold_at = now()
                      WHERE variant_id = $1)
           SELECT id FROM o"#,
    )
    .bind(a)
    .fetch_one(&db.pool)
    .await
    .expect("a paid order");
    // The worker has claimed the delivery and is running it when it dies.
    let job = jobs::enqueue(
        &db.pool,
        &jobs::catalogue::DeliverOrder {
            order_id: workers::shop::ids::OrderId(order),
        },
    )
    .await
    .expect("enqueue")
    .expect("new");
    sqlx::query(
        r#"UPDATE apalis.jobs SET status = 'Running', attempts = 1, lock_at = now(),
               lock_by = (SELECT id FROM apalis.workers WHERE worker_type = 'payments' LIMIT 1)
           WHERE id = $1"#,
    )
    .bind(&job)
    .execute(&db.pool)
    .await
    .expect("claimed by the doomed worker");
    doomed.sigkill();
    // The rescuer serves the system queue too: the periodic jobs every worker enqueues must
    // not wait (reconcile counts a due job waiting 10 minutes as stuck).
    let _rescuer = db.spawn(&["worker", "--queues", "payments,telegram,system"], &env);
    wait_status(&db.pool, order, "delivered").await;
    let mut ana = Customer::new(&api, 1001, "Ana", "id");
    assert!(ana.next_text().await.contains("PRIME-key-&lt;0&gt;"));
    crate::support::wait_for_state(&db.pool, &job, "done", WAIT).await;
    db.until(
        "the outbox drained",
        WAIT,
        "SELECT count(*) FROM telegram_outbox WHERE status = 'pending'",
        0,
    )
    .await;
    let deliveries = ana
        .delivered()
        .iter()
        .filter(|c| c.text().is_some_and(|t| t.contains("Pembayaran berhasil")))
        .count();
    assert_eq!(deliveries, 1, "delivered exactly once");
    db.until(
        "no due job waiting",
        WAIT,
        "SELECT count(*) FROM apalis.jobs WHERE status = 'Pending' AND run_at < now()",
        0,
    )
    .await;
    crate::reconcile::assert_reconciled(&db.pool).await;
}
