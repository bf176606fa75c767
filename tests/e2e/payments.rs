//! Payments through the stand-in Bot API and the stand-in Pakasir: QRIS end to end, replayed
//! and forged webhooks, the race for the last contents, balance, gateway failures, expiry,
//! cancel and late payments.

use std::time::Duration;

use bot_auto_order::standin::pakasir::{Fault, PakasirStandin};
use bot_auto_order::standin::telegram::TelegramStandin;
use sqlx::PgPool;

use crate::chat::{Customer, WAIT, button};
use crate::support::{Proc, TestDb, eventually};

const OWNER: i64 = 777;

pub struct Shop {
    pub api: TelegramStandin,
    pub pakasir: PakasirStandin,
    /// `http://127.0.0.1:<port>`: the shop's ingress.
    pub url: String,
    pub process: Proc,
}

/// Both stand-ins, Pakasir's webhook aimed at the ingress that is to listen on `bind`.
pub struct StandIns {
    pub api: TelegramStandin,
    pub pakasir: PakasirStandin,
    /// `127.0.0.1:<free port>`, for the ingress's HTTP_BIND.
    pub bind: String,
}

impl StandIns {
    pub async fn start() -> Self {
        let api = TelegramStandin::start_strict()
            .await
            .expect("telegram stand-in");
        let pakasir = PakasirStandin::start("toko", "key-123")
            .await
            .expect("pakasir stand-in");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        pakasir.set_webhook(&format!("http://127.0.0.1:{port}/webhooks/pakasir"));
        StandIns {
            api,
            pakasir,
            bind: format!("127.0.0.1:{port}"),
        }
    }

    /// The settings that connect a shop process to them (HTTP_BIND is the caller's to add).
    pub fn env(&self) -> Vec<(&'static str, &str)> {
        let mut env = vec![
            ("TELEGRAM_BOT_TOKEN", "123:TEST"),
            ("TELEGRAM_API_URL", self.api.url.as_str()),
        ];
        env.extend(self.pakasir_env());
        env
    }

    /// The settings that connect a shop process to the Pakasir stand-in.
    fn pakasir_env(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("PAKASIR_PROJECT", "toko"),
            ("PAKASIR_API_KEY", "key-123"),
            ("PAKASIR_API_URL", self.pakasir.url.as_str()),
            ("SPAM_MAX_ACTIONS", "1000"),
        ]
    }
}

/// [`crate::chat::shop`] with QRIS on, webhooks wired to the stand-in Pakasir.
pub async fn qris_shop(db: &TestDb, extra: &[(&str, &str)]) -> Shop {
    let wired = StandIns::start().await;
    let owner = OWNER.to_string();
    let mut env = wired.pakasir_env();
    env.extend_from_slice(&[
        ("TELEGRAM_OWNER_IDS", owner.as_str()),
        ("HTTP_BIND", wired.bind.as_str()),
        ("JOB_BACKOFF_BASE", "50ms"),
        ("JOB_BACKOFF_MAX", "200ms"),
    ]);
    env.extend_from_slice(extra);
    let process = crate::chat::shop(db, &wired.api, &env);
    let url = format!("http://{}", wired.bind);
    Shop {
        api: wired.api,
        pakasir: wired.pakasir,
        url,
        process,
    }
}

/// A product with `stock` contents; returns its id.
async fn product(pool: &PgPool, code: &str, price: i64, stock: usize) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (code, name, price) VALUES ($1, $1, $2) RETURNING id",
    )
    .bind(code)
    .bind(price)
    .fetch_one(pool)
    .await
    .expect("product");
    for n in 0..stock {
        sqlx::query("INSERT INTO product_contents (product_id, content) VALUES ($1, $2)")
            .bind(id)
            .bind(format!("{code}-key-<{n}>"))
            .execute(pool)
            .await
            .expect("content");
    }
    id
}

/// Register `customer` (through /start) with `quantity` of `product` in a cart at version 7.
pub async fn with_cart(pool: &PgPool, customer: &mut Customer, product: i64, quantity: i32) {
    customer.say("/start");
    customer.next_text().await;
    sqlx::query(
        r#"WITH u AS (SELECT id FROM users WHERE telegram_id = $1),
                c AS (INSERT INTO carts (user_id, version) SELECT id, 7 FROM u)
           INSERT INTO cart_items (user_id, product_id, quantity) SELECT id, $2, $3 FROM u"#,
    )
    .bind(customer.id)
    .bind(product)
    .bind(quantity)
    .execute(pool)
    .await
    .expect("cart");
}

async fn count(pool: &PgPool, sql: &'static str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .expect(sql)
}

/// The customer's latest order, once it exists.
async fn order_of(pool: &PgPool, telegram_id: i64) -> (i64, String, String) {
    eventually("the customer's order", WAIT, || async {
        sqlx::query_as(
            "SELECT o.id, o.public_id, o.status FROM orders o JOIN users u ON u.id = o.user_id
             WHERE u.telegram_id = $1 ORDER BY o.id DESC LIMIT 1",
        )
        .bind(telegram_id)
        .fetch_optional(pool)
        .await
        .expect("order")
    })
    .await
}

async fn wait_status(pool: &PgPool, order: i64, status: &str) {
    eventually(&format!("order {order} {status}"), WAIT, || async {
        let now: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(pool)
            .await
            .expect("status");
        (now == status).then_some(())
    })
    .await;
}

/// Wait until every recorded webhook has a verdict.
pub async fn events_handled(pool: &PgPool, expected: i64) {
    eventually("every webhook judged", WAIT, || async {
        let (all, open): (i64, i64) = sqlx::query_as(
            "SELECT count(*), count(*) FILTER (WHERE verdict = 'received') FROM payment_events",
        )
        .fetch_one(pool)
        .await
        .expect("events");
        (all >= expected && open == 0).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_qris_purchase_delivers_once_however_often_the_webhook_comes() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "NETFLIX", 10_000, 3).await;
    let shop = qris_shop(&db, &[]).await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 2).await;

    ana.press("pay:qris:7");
    ana.press("pay:qris:7");
    let preparing = ana.next_screen().await;
    assert!(
        preparing
            .text()
            .unwrap_or("")
            .contains("Invoice QRIS sedang disiapkan")
    );
    let invoice = ana.next("sendphoto").await;
    let caption = invoice.text().unwrap_or("").to_owned();
    let (order, public_id, _) = order_of(&db.pool, ana.id).await;
    assert!(caption.contains(&public_id), "{caption}");
    assert!(caption.contains("NETFLIX ×2 = Rp 20.000"), "{caption}");
    assert!(
        caption.contains("Biaya layanan: Rp 450"),
        "Pakasir's fee: {caption}"
    );
    assert!(caption.contains("Total bayar: Rp 20.450"), "{caption}");
    assert!(
        caption.contains("WIB"),
        "expiry in the shop's zone: {caption}"
    );
    let keyboard = invoice.body["reply_markup"].to_string();
    assert!(
        keyboard.contains(&format!("/toko/20000?order_id={public_id}")),
        "{keyboard}"
    );
    assert_eq!(
        button(&invoice, "❌ Batalkan pesanan"),
        Some(format!("ocancel:{order}"))
    );
    let orders = count(
        &db.pool,
        "SELECT count(*) FROM orders WHERE user_id = (SELECT id FROM users WHERE telegram_id = $1)",
        ana.id,
    )
    .await;
    assert_eq!(orders, 1, "a double tap makes one order");
    let reserved = count(
        &db.pool,
        "SELECT count(*) FROM product_contents WHERE product_id = $1 AND state = 'reserved'",
        a,
    )
    .await;
    assert_eq!(reserved, 2);

    for _ in 0..10 {
        assert_eq!(shop.pakasir.pay(&public_id).await, Ok(200));
    }
    wait_status(&db.pool, order, "delivered").await;
    events_handled(&db.pool, 10).await;
    let delivery = ana.next_text().await;
    assert!(delivery.contains("Pembayaran berhasil"), "{delivery}");
    assert!(
        delivery.contains("<code>NETFLIX-key-&lt;0&gt;</code>")
            && delivery.contains("<code>NETFLIX-key-&lt;1&gt;</code>"),
        "escaped goods: {delivery}"
    );
    let photo_id = shop
        .api
        .delivered_to(ana.id)
        .iter()
        .filter(|c| c.method == "sendphoto")
        .count();
    assert_eq!(photo_id, 1);
    ana.next("deletemessage").await;
    let sold = count(
        &db.pool,
        "SELECT count(*) FROM product_contents WHERE product_id = $1 AND state = 'sold'",
        a,
    )
    .await;
    assert_eq!(sold, 2, "stock down by the quantity, once");
    let deliveries = shop
        .api
        .delivered_to(ana.id)
        .iter()
        .filter(|c| c.text().is_some_and(|t| t.contains("Pembayaran berhasil")))
        .count();
    assert_eq!(deliveries, 1, "ten webhooks, one delivery");
    let verdicts: Vec<String> =
        sqlx::query_scalar("SELECT verdict FROM payment_events ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .expect("verdicts");
    assert_eq!(
        verdicts.iter().filter(|v| *v == "accepted").count(),
        1,
        "{verdicts:?}"
    );
    assert_eq!(
        verdicts.iter().filter(|v| *v == "duplicate").count(),
        9,
        "{verdicts:?}"
    );
    let mut owner = Customer::new(&shop.api, OWNER, "Owner", "id");
    let alert = owner.next_text().await;
    assert!(
        alert.contains(&public_id) && alert.contains("Ana (1001)"),
        "one alert per order: {alert}"
    );
    eventually("the alert updated to delivered", WAIT, || async {
        shop.api
            .delivered_to(OWNER)
            .iter()
            .any(|c| {
                c.method == "editmessagetext" && c.text().is_some_and(|t| t.contains("✅ Selesai"))
            })
            .then_some(())
    })
    .await;
    let alerts = shop
        .api
        .delivered_to(OWNER)
        .iter()
        .filter(|c| c.method == "sendmessage")
        .count();
    assert_eq!(alerts, 1, "later news edits the alert");
}

#[tokio::test]
async fn forged_and_mismatched_webhooks_credit_nothing() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "SPOTIFY", 25_000, 2).await;
    let shop = qris_shop(&db, &[]).await;
    shop.pakasir.set_fee(0, 1_000);
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 1).await;
    ana.press("pay:qris:7");
    let invoice = ana.next("sendphoto").await;
    assert!(
        invoice
            .text()
            .unwrap_or("")
            .contains("Total bayar: Rp 26.000"),
        "the gateway's fee, whatever it is: {:?}",
        invoice.text()
    );
    let (order, public_id, _) = order_of(&db.pool, ana.id).await;

    let mut unknown = shop.pakasir.notice("INV-NOPE", 25_000);
    assert_eq!(shop.pakasir.post_webhook(&unknown).await, Ok(200));
    let wrong_amount = shop.pakasir.notice(&public_id, 1_000);
    assert_eq!(shop.pakasir.post_webhook(&wrong_amount).await, Ok(200));
    let mut wrong_project = shop.pakasir.notice(&public_id, 25_000);
    wrong_project["project"] = "other".into();
    assert_eq!(shop.pakasir.post_webhook(&wrong_project).await, Ok(200));
    unknown["amount"] = "lots".into();
    assert_eq!(
        shop.pakasir.post_webhook(&unknown).await,
        Ok(400),
        "malformed: refused, still recorded"
    );
    // Pakasir itself says the transaction is still pending: the claim is not believed.
    shop.pakasir.claim_status(&public_id, "pending");
    let pending = shop.pakasir.notice(&public_id, 25_000);
    assert_eq!(shop.pakasir.post_webhook(&pending).await, Ok(200));
    events_handled(&db.pool, 5).await;

    let verdicts: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT verdict, note FROM payment_events ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .expect("verdicts");
    let kinds: Vec<&str> = verdicts.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(
        kinds,
        ["rejected", "rejected", "rejected", "malformed", "rejected"],
        "{verdicts:?}"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(&db.pool)
        .await
        .expect("status");
    assert_eq!(status, "awaiting_payment", "nothing credited");
    let sold = count(
        &db.pool,
        "SELECT count(*) FROM product_contents WHERE product_id = $1 AND state = 'sold'",
        a,
    )
    .await;
    assert_eq!(sold, 0);
    // The rejections are folded into one message for the owner, edited to the count by
    // reason (they are judged in parallel, in any order).
    let digest = shop
        .api
        .wait_for("the owner's digest of four rejections", WAIT, |calls| {
            calls.iter().any(|c| {
                c.ok && c.chat_id == Some(OWNER)
                    && c.text()
                        .is_some_and(|t| t.contains("ditolak") && t.contains("<b>4</b>"))
            })
        })
        .await;
    let sent = digest
        .iter()
        .filter(|c| c.ok && c.chat_id == Some(OWNER) && c.method == "sendmessage")
        .filter(|c| c.text().is_some_and(|t| t.contains("ditolak")))
        .count();
    assert_eq!(sent, 1, "one message per staff chat and window");
    let last = digest
        .iter()
        .rev()
        .find(|c| {
            c.ok && c.chat_id == Some(OWNER) && c.text().is_some_and(|t| t.contains("ditolak"))
        })
        .and_then(|c| c.text().map(str::to_owned))
        .unwrap_or_default();
    for reason in [
        "no such invoice",
        "wrong amount",
        "another project",
        "gateway disagrees",
    ] {
        assert!(last.contains(reason), "{reason} counted: {last}");
    }
    assert!(
        last.contains("INV-NOPE"),
        "the unknown order is among the latest: {last}"
    );
}

#[tokio::test]
async fn fifty_customers_racing_for_ten_contents_buy_exactly_ten() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "CANVA", 5_000, 10).await;
    let shop = qris_shop(&db, &[]).await;
    let mut customers = Vec::new();
    for n in 0..50 {
        let mut customer = Customer::new(&shop.api, 5000 + n, "Racer", "id");
        with_cart(&db.pool, &mut customer, a, 1).await;
        customers.push(customer);
    }
    // Balances come with their ledger rows, as an admin's adjustment would write them.
    sqlx::query(
        "WITH u AS (UPDATE users SET balance = 100000 RETURNING id)
         INSERT INTO balance_ledger (user_id, delta, balance_after, reason, actor, note)
         SELECT id, 100000, 100000, 'adjustment', 'test', 'starting balance' FROM u",
    )
    .execute(&db.pool)
    .await
    .expect("balances");
    for customer in &mut customers {
        customer.press("pay:bal:7");
    }
    eventually("all 50 presses handled", WAIT, || async {
        let left: i64 =
            sqlx::query_scalar("SELECT count(*) FROM telegram_updates WHERE handled_at IS NULL")
                .fetch_one(&db.pool)
                .await
                .expect("left");
        (left == 0).then_some(())
    })
    .await;
    eventually("ten orders delivered", WAIT, || async {
        let delivered: i64 =
            sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = 'delivered'")
                .fetch_one(&db.pool)
                .await
                .expect("delivered");
        (delivered == 10).then_some(())
    })
    .await;
    let (sold, reserved, available, orders, owners): (i64, i64, i64, i64, i64) = sqlx::query_as(
        r#"SELECT count(*) FILTER (WHERE state = 'sold'), count(*) FILTER (WHERE state = 'reserved'),
                  count(*) FILTER (WHERE state = 'available'),
                  (SELECT count(*) FROM orders), count(DISTINCT order_id)
           FROM product_contents WHERE product_id = $1"#,
    )
    .bind(a)
    .fetch_one(&db.pool)
    .await
    .expect("stock");
    assert_eq!((sold, reserved, available), (10, 0, 0), "never oversold");
    assert_eq!(orders, 10, "the other 40 were told the stock changed");
    assert_eq!(owners, 10, "no content in two orders");
    let debits: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM balance_ledger WHERE reason = 'purchase' AND delta = -5000",
    )
    .fetch_one(&db.pool)
    .await
    .expect("ledger");
    assert_eq!(debits, 10);
    let short: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE balance = 100000 AND telegram_id >= 5000",
    )
    .fetch_one(&db.pool)
    .await
    .expect("untouched");
    assert_eq!(short, 40, "nobody paid for nothing");
    // Every loser's screen changed to a summary that no longer offers the sold-out product.
    for customer in &mut customers {
        let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE telegram_id = $1")
            .bind(customer.id)
            .fetch_one(&db.pool)
            .await
            .expect("user");
        let bought: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE user_id = $1")
            .bind(user)
            .fetch_one(&db.pool)
            .await
            .expect("orders");
        if bought == 0 {
            let screen = customer.next_screen().await;
            let text = screen.text().unwrap_or("");
            assert!(
                !text.contains("CANVA ×1"),
                "the sold-out product is gone: {text}"
            );
            assert!(
                button(&screen, "💼 Saldo").is_none(),
                "no pay button for what cannot be had: {text}"
            );
        }
    }
    crate::reconcile::assert_reconciled(&db.pool).await;
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
    let available = count(
        &db.pool,
        "SELECT count(*) FROM product_contents WHERE product_id = $1 AND state = 'available'",
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
    let a = product(&db.pool, "DISNEY", 15_000, 2).await;
    let shop = qris_shop(&db, &[]).await;
    shop.pakasir.set_lifetime(Duration::from_secs(2));
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 1).await;
    ana.press("pay:qris:7");
    ana.next("sendphoto").await;
    let (order, public_id, _) = order_of(&db.pool, ana.id).await;
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
    let available = count(
        &db.pool,
        "SELECT count(*) FROM product_contents WHERE product_id = $1 AND state = 'available'",
        a,
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
    sqlx::query("DELETE FROM product_contents WHERE product_id = $1")
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
async fn a_deposit_by_qris_credits_the_balance_once() {
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
async fn a_payment_arriving_before_its_invoice_photo_still_delivers_once() {
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
               WHERE product_id = $1
           )
           SELECT id FROM o"#,
    )
    .bind(a)
    .fetch_one(&db.pool)
    .await
    .expect("an order whose close job never existed");
    wait_status(&db.pool, order, "expired").await;
    let available = count(
        &db.pool,
        "SELECT count(*) FROM product_contents WHERE product_id = $1 AND state = 'available'",
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
async fn terms_proof_is_stored_forwarded_and_replaced() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "GPT", 50_000, 1).await;
    sqlx::query("UPDATE products SET terms = 'Login only on <one> device' WHERE id = $1")
        .bind(a)
        .execute(&db.pool)
        .await
        .expect("terms");
    let shop = qris_shop(&db, &[]).await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 1).await;
    sqlx::query("UPDATE users SET balance = 50000 WHERE telegram_id = 1001")
        .execute(&db.pool)
        .await
        .expect("balance");
    ana.press("pay:bal:7");
    let (order, public_id, _) = order_of(&db.pool, ana.id).await;
    wait_status(&db.pool, order, "delivered").await;
    let terms = loop {
        let call = ana.next("sendmessage").await;
        if call.text().is_some_and(|t| t.contains("S&amp;K")) {
            break call;
        }
    };
    assert!(
        terms
            .text()
            .unwrap_or("")
            .contains("Login only on &lt;one&gt; device"),
        "{:?}",
        terms.text()
    );
    let proof = button(&terms, "✅ Penuhi SNK").expect("terms button");
    assert_eq!(proof, format!("snk:{order}:{a}"));

    let mut budi = Customer::new(&shop.api, 2002, "Budi", "id");
    budi.press(&proof);
    assert!(
        budi.next_notice().await.contains("tidak ditemukan"),
        "someone else's order: refused"
    );

    ana.press(&proof);
    assert!(ana.next_text().await.contains(&public_id));
    ana.photo("proof-photo", "done on my phone");
    assert!(ana.next_text().await.contains("sudah kami terima"));
    let mut owner = Customer::new(&shop.api, OWNER, "Owner", "id");
    let forwarded = owner.next("sendphoto").await;
    assert_eq!(forwarded.body["photo"], "proof-photo", "the largest size");
    assert!(forwarded.text().unwrap_or("").contains("done on my phone"));

    ana.press(&proof);
    ana.next_text().await;
    ana.say("a better proof");
    assert!(ana.next_text().await.contains("menggantikan"));
    let (count, replacements, text): (i64, i32, Option<String>) =
        sqlx::query_as("SELECT count(*) OVER (), replacements, text FROM terms_submissions")
            .fetch_one(&db.pool)
            .await
            .expect("submission");
    assert_eq!((count, replacements), (1, 1));
    assert_eq!(text.as_deref(), Some("a better proof"));
}

#[tokio::test]
async fn a_paid_order_whose_worker_died_mid_delivery_is_delivered_exactly_once() {
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
                i AS (INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity)
                      SELECT id, $1, 'PRIME', 7000, 1 FROM o),
                c AS (UPDATE product_contents SET state = 'sold', order_id = (SELECT id FROM o), sold_at = now()
                      WHERE product_id = $1)
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
    eventually("the outbox drained", WAIT, || async {
        let pending: i64 =
            sqlx::query_scalar("SELECT count(*) FROM telegram_outbox WHERE status = 'pending'")
                .fetch_one(&db.pool)
                .await
                .expect("pending");
        (pending == 0).then_some(())
    })
    .await;
    let deliveries = ana
        .delivered()
        .iter()
        .filter(|c| c.text().is_some_and(|t| t.contains("Pembayaran berhasil")))
        .count();
    assert_eq!(deliveries, 1, "delivered exactly once");
    eventually("no due job waiting", WAIT, || async {
        let due: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM apalis.jobs WHERE status = 'Pending' AND run_at < now()",
        )
        .fetch_one(&db.pool)
        .await
        .ok()?;
        (due == 0).then_some(())
    })
    .await;
    crate::reconcile::assert_reconciled(&db.pool).await;
}

#[tokio::test]
async fn an_invoice_paid_without_a_webhook_is_found_at_expiry_and_delivered() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "MAX", 11_000, 1).await;
    let shop = qris_shop(&db, &[]).await;
    shop.pakasir.set_lifetime(Duration::from_secs(2));
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, a, 1).await;
    ana.press("pay:qris:7");
    ana.next("sendphoto").await;
    let (order, public_id, _) = order_of(&db.pool, ana.id).await;
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
