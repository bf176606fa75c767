//! Bad input, generated (proptest strategies, sampled from a fixed seed so a failure repeats):
//! webhook bodies of every shape aimed at a real open order, Telegram webhook bodies, and
//! customer messages with SQL-looking, HTML and oversized text. Each gets a clear answer (never
//! a 5xx), is recorded, and nothing is credited or paid.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::chat::{Customer, WAIT};
use crate::payments::qris_shop;
use crate::seed::{product, settled};
use crate::support::{TestDb, eventually};

/// `n` values of `strategy`, the same every run.
fn sample<S: Strategy>(strategy: S, n: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).expect("a value").current())
        .collect()
}

/// Text that has hurt shops before: SQL, HTML, control characters, very long.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("'; DROP TABLE orders; --".to_owned()),
        Just("<script>alert(1)</script><b>".to_owned()),
        Just("Robert'); UPDATE users SET balance = 1e9; --".to_owned()),
        Just("&amp; &lt; {name} {{store}} %s %n \u{0}".to_owned()),
        "\\PC{0,300}",
        ".{0,64}",
        "x{5000,9000}",
    ]
}

const ORDER: &str = "INV-FUZZ-1";
const AMOUNT: i64 = 20_000;

/// Pakasir-like notices about the real order, every field wrong in some way — but never the
/// one true notice (our project, the exact amount, completed).
fn notice() -> impl Strategy<Value = Value> {
    let amount = prop_oneof![
        Just(json!(AMOUNT + 1)),
        Just(json!(AMOUNT - 1)),
        Just(json!(-AMOUNT)),
        Just(json!(0)),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(1e300)),
        Just(json!("20000")),
        Just(json!(20000.5)),
        Just(Value::Null),
        any::<i64>().prop_map(|n| json!(n)),
    ];
    let order_id = prop_oneof![Just(ORDER.to_owned()), nasty_text()];
    let project = prop_oneof![Just("toko".to_owned()), nasty_text()];
    let status = prop_oneof![
        Just("completed".to_owned()),
        Just("pending".to_owned()),
        nasty_text()
    ];
    (amount, order_id, project, status).prop_map(|(amount, order_id, project, status)| {
        let genuine = amount == json!(AMOUNT)
            && order_id == ORDER
            && project == "toko"
            && status == "completed";
        assert!(!genuine, "the generator never makes the true notice");
        json!({ "amount": amount, "order_id": order_id, "project": project, "status": status,
                "payment_method": "qris", "completed_at": "2026-11-26T01:02:03.123456789+07:00" })
    })
}

/// Any body at all: random bytes, JSON of the wrong shape, or a near-notice.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        notice().prop_map(|v| v.to_string().into_bytes()),
        notice().prop_map(|v| v.to_string().into_bytes()),
        Just(b"[]".to_vec()),
        Just(b"null".to_vec()),
        Just(vec![0xff, 0xfe, b'{', 0xc3]),
        Just(format!("{{\"amount\":{}}}", "9".repeat(400)).into_bytes()),
    ]
}

#[tokio::test]
async fn generated_payment_webhooks_are_recorded_answered_and_credit_nothing() {
    let db = TestDb::new().await;
    let hbo = product(&db.pool, "HBO", "HBO", AMOUNT, 1).await;
    let shop = qris_shop(&db, &[]).await;
    // A real order awaiting payment, its invoice open at the stand-in.
    sqlx::query(
        r#"WITH u AS (INSERT INTO users (telegram_id, first_name) VALUES (1001, 'Ana') RETURNING id),
                o AS (INSERT INTO orders (public_id, user_id, payment_method, subtotal, total, expires_at)
                      SELECT $2, id, 'qris', $3, $3, now() + interval '1 hour' FROM u RETURNING id, user_id),
                i AS (INSERT INTO order_items (order_id, product_id, variant_id, product_name, variant_name, unit_price, quantity)
                      SELECT id, $1, $1, 'HBO', 'HBO', $3, 1 FROM o),
                v AS (INSERT INTO invoices (order_id, user_id, gateway_order_id, amount, status, expires_at)
                      SELECT id, user_id, $2, $3, 'open', now() + interval '1 hour' FROM o)
           UPDATE product_contents SET state = 'reserved', reserved_at = now(), order_id = (SELECT id FROM o)
           WHERE variant_id = $1"#,
    )
    .bind(hbo)
    .bind(ORDER)
    .bind(AMOUNT)
    .execute(&db.pool)
    .await
    .expect("an open order");
    let http = reqwest::Client::new();
    let url = format!("{}/webhooks/pakasir", shop.url);
    eventually("the ingress up", WAIT, || async {
        http.get(format!("{}/health", shop.url)).send().await.ok()
    })
    .await;
    let bodies = sample(body(), 150);
    let mut statuses = std::collections::BTreeMap::new();
    for body in &bodies {
        let status = answered(http.post(&url), body).await;
        *statuses.entry(status).or_insert(0) += 1;
    }
    assert!(
        statuses.len() == 2,
        "both well-formed and malformed were sent: {statuses:?}"
    );
    let recorded = db.scalar("SELECT count(*) FROM payment_events").await;
    assert_eq!(recorded, 150, "every request recorded");
    db.until(
        "every notice judged",
        WAIT,
        "SELECT count(*) FROM payment_events WHERE verdict = 'received'",
        0,
    )
    .await;
    let (status, ledger, sold): (String, i64, i64) = sqlx::query_as(
        "SELECT (SELECT status FROM orders), (SELECT count(*) FROM balance_ledger),
                (SELECT count(*) FROM product_contents WHERE state = 'sold')",
    )
    .fetch_one(&db.pool)
    .await
    .expect("state");
    assert_eq!(
        (status.as_str(), ledger, sold),
        ("awaiting_payment", 0, 0),
        "nothing credited"
    );
    // `accepted` with another note is a notice taken as information ("pending": nothing to do).
    let accepted = db.scalar("SELECT count(*) FROM payment_events WHERE verdict = 'late' OR (verdict = 'accepted' AND note = 'paid')").await;
    assert_eq!(accepted, 0);
    drop(shop);
}

#[tokio::test]
async fn generated_telegram_bodies_and_messages_get_answers_and_break_nothing() {
    let db = TestDb::new().await;
    let api = bot_auto_order::standin::telegram::TelegramStandin::start_strict()
        .await
        .expect("stand-in");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let bind = format!("127.0.0.1:{port}");
    let webhook = format!("http://{bind}/telegram/webhook");
    let _shop = crate::chat::shop(
        &db,
        &api,
        &[
            ("HTTP_BIND", bind.as_str()),
            ("TELEGRAM_MODE", "webhook"),
            (
                "TELEGRAM_WEBHOOK_URL",
                "https://shop.example.com/telegram/webhook",
            ),
            ("TELEGRAM_WEBHOOK_SECRET", "s3cret-s3cret-s3cret"),
            ("SPAM_MAX_ACTIONS", "10000"),
        ],
    );
    let http = reqwest::Client::new();
    eventually("the ingress up", WAIT, || async {
        http.get(format!("http://{bind}/health")).send().await.ok()
    })
    .await;
    // Raw bodies: bytes, JSON of any shape, updates with odd fields.
    let raw = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        (any::<i64>(), nasty_text()).prop_map(|(id, text)| {
            json!({ "update_id": id, "message": { "message_id": 1, "date": 0,
                    "chat": { "id": id, "type": "private" }, "text": text } })
            .to_string()
            .into_bytes()
        }),
        nasty_text().prop_map(|t| json!({ "update_id": t }).to_string().into_bytes()),
    ];
    for body in sample(raw, 120) {
        let request = http
            .post(&webhook)
            .header("x-telegram-bot-api-secret-token", "s3cret-s3cret-s3cret");
        answered(request, &body).await;
    }
    // Real customers typing nasty things.
    let texts = sample(nasty_text(), 40);
    let mut ana = Customer::new(&api, 1001, "Ana <b>'; DROP TABLE users; --", "id");
    for (n, text) in texts.iter().enumerate() {
        let update = json!({ "update_id": 900_000 + n, "message": {
            "message_id": n, "date": 1_700_000_000,
            "chat": { "id": ana.id, "type": "private", "first_name": "Ana" },
            "from": { "id": ana.id, "is_bot": false, "first_name": "Ana <b>'; DROP TABLE users; --" },
            "text": text } });
        let status = http
            .post(&webhook)
            .header("x-telegram-bot-api-secret-token", "s3cret-s3cret-s3cret")
            .json(&update)
            .send()
            .await
            .expect("an answer")
            .status()
            .as_u16();
        assert_eq!(status, 200);
    }
    settled(&db.pool).await;
    ana.next_text().await;
    let failed = db.scalar("SELECT count(*) FROM apalis.jobs WHERE job_state(status, run_at, attempts, max_attempts) = 'failed'").await;
    assert_eq!(failed, 0, "no job failed on bad input");
    let users = db.scalar("SELECT count(*) FROM users").await;
    assert!(users >= 1);
    // Every answer to Ana is valid for Telegram: her name and texts come back escaped.
    for call in ana.delivered() {
        let text = call.text().unwrap_or("");
        assert!(!text.contains("<script>"), "{text}");
        assert!(!text.contains("DROP TABLE users; --</b>"), "{text}");
    }
}

/// POST `body` as JSON with `request`; the answer must be a verdict (200 or 400), not an error.
async fn answered(request: reqwest::RequestBuilder, body: &[u8]) -> u16 {
    let status = request
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .expect("an answer")
        .status()
        .as_u16();
    assert!(
        matches!(status, 200 | 400),
        "{status} for {}",
        String::from_utf8_lossy(body)
    );
    status
}
