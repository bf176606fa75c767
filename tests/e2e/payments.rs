//! Payments through the stand-in Bot API and the stand-in Pakasir: QRIS end to end, replayed
//! and forged webhooks, the race for the last contents, balance, gateway failures, expiry,
//! cancel and late payments.

use bot_auto_order::standin::pakasir::PakasirStandin;
use bot_auto_order::standin::telegram::TelegramStandin;
use sqlx::PgPool;

use crate::chat::{Customer, WAIT, button};
use crate::support::{Proc, TestDb, eventually};

pub(crate) const OWNER: i64 = 777;

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
pub(crate) async fn product(pool: &PgPool, code: &str, price: i64, stock: usize) -> i64 {
    let id = crate::seed::listed(pool, code, code, price, None, "").await;
    let keys = (0..stock).map(|n| format!("{code}-key-<{n}>"));
    crate::seed::contents(pool, id, keys).await;
    id
}

/// Register `customer` (through /start) with `quantity` of `product` in a cart at version 7.
pub async fn with_cart(pool: &PgPool, customer: &mut Customer, product: i64, quantity: i32) {
    customer.say("/start");
    customer.next_text().await;
    sqlx::query(
        r#"WITH u AS (SELECT id FROM users WHERE telegram_id = $1),
                c AS (INSERT INTO carts (user_id, version) SELECT id, 7 FROM u)
           INSERT INTO cart_items (user_id, variant_id, quantity) SELECT id, $2, $3 FROM u"#,
    )
    .bind(customer.id)
    .bind(product)
    .bind(quantity)
    .execute(pool)
    .await
    .expect("cart");
}

/// The customer's latest order, once it exists.
pub(crate) async fn order_of(pool: &PgPool, telegram_id: i64) -> (i64, String, String) {
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

pub(crate) async fn wait_status(pool: &PgPool, order: i64, status: &str) {
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
pub(crate) async fn a_qris_purchase_delivers_once_however_often_the_webhook_comes() {
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
    let orders = db.scalar_for("SELECT count(*) FROM orders WHERE user_id = (SELECT id FROM users WHERE telegram_id = $1)", ana.id)
    .await;
    assert_eq!(orders, 1, "a double tap makes one order");
    let reserved = db
        .scalar_for(
            "SELECT count(*) FROM product_contents WHERE variant_id = $1 AND state = 'reserved'",
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
    let sold = db
        .scalar_for(
            "SELECT count(*) FROM product_contents WHERE variant_id = $1 AND state = 'sold'",
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
    let mut owner = Customer::new(&shop.api, OWNER, "Owner", "en");
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
pub(crate) async fn forged_and_mismatched_webhooks_credit_nothing() {
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
    let sold = db
        .scalar_for(
            "SELECT count(*) FROM product_contents WHERE variant_id = $1 AND state = 'sold'",
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
pub(crate) async fn fifty_customers_racing_for_ten_contents_buy_exactly_ten() {
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
    db.until(
        "all 50 presses handled",
        WAIT,
        "SELECT count(*) FROM telegram_updates WHERE handled_at IS NULL",
        0,
    )
    .await;
    db.until(
        "ten orders delivered",
        WAIT,
        "SELECT count(*) FROM orders WHERE status = 'delivered'",
        10,
    )
    .await;
    let (sold, reserved, available, orders, owners): (i64, i64, i64, i64, i64) = sqlx::query_as(
        r#"SELECT count(*) FILTER (WHERE state = 'sold'), count(*) FILTER (WHERE state = 'reserved'),
                  count(*) FILTER (WHERE state = 'available'),
                  (SELECT count(*) FROM orders), count(DISTINCT order_id)
           FROM product_contents WHERE variant_id = $1"#,
    )
    .bind(a)
    .fetch_one(&db.pool)
    .await
    .expect("stock");
    assert_eq!((sold, reserved, available), (10, 0, 0), "never oversold");
    assert_eq!(orders, 10, "the other 40 were told the stock changed");
    assert_eq!(owners, 10, "no content in two orders");
    let debits = db
        .scalar("SELECT count(*) FROM balance_ledger WHERE reason = 'purchase' AND delta = -5000")
        .await;
    assert_eq!(debits, 10);
    let short = db
        .scalar("SELECT count(*) FROM users WHERE balance = 100000 AND telegram_id >= 5000")
        .await;
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
pub(crate) async fn terms_proof_is_stored_forwarded_and_replaced() {
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
    let mut owner = Customer::new(&shop.api, OWNER, "Owner", "en");
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
