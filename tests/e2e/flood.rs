//! Telegram as it really behaves, against the strict stand-in (every test here fails on a
//! call inside a `retry_after`, a call over a rate limit or an edit that changes nothing):
//! owner alerts after a burst of payments, a 429 storm in the middle of a purchase and of a
//! broadcast, forged payment notices, and a customer who blocks the bot.

use std::time::Duration;

use bot_auto_order::standin::telegram::{Call, TelegramStandin};
use sqlx::PgPool;

use crate::chat::{Customer, WAIT};
use crate::payments::{events_handled, qris_shop, with_cart};
use crate::seed::{product, settled};
use crate::support::{TestDb, eventually};

const OWNER: i64 = 777;

async fn public_id(pool: &PgPool, telegram_id: i64) -> String {
    crate::payments::order_of(pool, telegram_id).await.1
}

async fn delivered(pool: &PgPool, expected: i64) {
    eventually(&format!("{expected} orders delivered"), WAIT, || async {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = 'delivered'")
            .fetch_one(pool)
            .await
            .expect("delivered");
        (n == expected).then_some(())
    })
    .await;
}

async fn failed_jobs(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM apalis.jobs WHERE job_state(status, run_at, attempts, max_attempts) = 'failed'",
    )
    .fetch_one(pool)
    .await
    .expect("failed jobs")
}

/// New messages in `chat`, in the order they arrived.
fn sends_to(api: &TelegramStandin, chat: i64) -> Vec<Call> {
    api.delivered_to(chat)
        .into_iter()
        .filter(|c| c.method == "sendmessage" || c.method == "sendphoto")
        .collect()
}

#[tokio::test]
async fn ten_orders_paid_at_once_reach_the_owner_paced_without_an_early_call() {
    let db = TestDb::new().await;
    let item = product(&db.pool, "NF", "Netflix", 10_000, 10).await;
    let shop = qris_shop(&db, &[]).await;
    let mut buyers = Vec::new();
    for n in 0..10 {
        let mut buyer = Customer::new(&shop.api, 2000 + n, "Buyer", "id");
        with_cart(&db.pool, &mut buyer, item, 1).await;
        buyer.press("pay:qris:7");
        buyers.push(buyer);
    }
    let mut orders = Vec::new();
    for buyer in &mut buyers {
        buyer.next("sendphoto").await;
        orders.push(public_id(&db.pool, buyer.id).await);
    }
    let paid = futures::future::join_all(orders.iter().map(|id| shop.pakasir.pay(id))).await;
    assert!(paid.iter().all(|answer| *answer == Ok(200)), "{paid:?}");
    delivered(&db.pool, 10).await;
    settled(&db.pool).await;
    let alerts = sends_to(&shop.api, OWNER);
    assert_eq!(alerts.len(), 10, "one alert per order, later news edits it");
    // Paced: a burst of three, then about one a second, so five in a row span two seconds
    // (less the jitter of the calls' travel on a busy machine; unpaced they would span ms).
    for window in alerts.windows(5) {
        let spread = window[4].at.duration_since(window[0].at);
        assert!(spread >= Duration::from_millis(1500), "paced: {spread:?}");
    }
    for id in &orders {
        let shown = shop.api.delivered_to(OWNER).into_iter().rev().find(|c| {
            c.text()
                .is_some_and(|t| t.contains(id.as_str()) && t.contains("Selesai"))
        });
        assert!(shown.is_some(), "the alert of {id} says delivered");
    }
}

#[tokio::test]
async fn a_429_storm_in_the_middle_of_a_purchase_delays_it_and_loses_nothing() {
    let db = TestDb::new().await;
    let item = product(&db.pool, "SP", "Spotify", 20_000, 2).await;
    let shop = qris_shop(&db, &[]).await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, item, 1).await;
    ana.press("pay:qris:7");
    ana.next("sendphoto").await;
    let order = public_id(&db.pool, ana.id).await;
    // Every method answers 429 retry_after=2 for five seconds: the payment lands meanwhile.
    shop.api.storm(Duration::from_secs(5), 2);
    assert_eq!(shop.pakasir.pay(&order).await, Ok(200));
    delivered(&db.pool, 1).await;
    settled(&db.pool).await;
    let refused = shop.api.calls().iter().filter(|c| !c.ok).count();
    assert!(refused > 0, "the storm hit calls");
    let metrics = reqwest::get(format!("{}/metrics", shop.url))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    assert!(
        metrics.contains("bao_telegram_floods_total{scope=")
            && metrics.contains("bao_telegram_chats_held ")
            && metrics.contains("bao_telegram_bot_held_seconds "),
        "flood control is visible: {metrics}"
    );
    let goods: Vec<_> = ana
        .delivered()
        .into_iter()
        .filter(|c| c.text().is_some_and(|t| t.contains("Pembayaran berhasil")))
        .collect();
    assert_eq!(goods.len(), 1, "the goods arrived once");
    assert!(
        ana.delivered().iter().any(|c| c.method == "deletemessage"),
        "the invoice photo was cleaned up"
    );
    assert_eq!(failed_jobs(&db.pool).await, 0);
}

#[tokio::test]
async fn thirty_forged_notices_in_a_minute_page_each_staff_chat_once() {
    let db = TestDb::new().await;
    let shop = qris_shop(&db, &[]).await;
    let http = reqwest::Client::new();
    eventually("the ingress up", WAIT, || async {
        http.get(format!("{}/health", shop.url)).send().await.ok()
    })
    .await;
    let long = "X".repeat(5_000);
    for n in 0..30 {
        let id = if n == 7 {
            long.clone()
        } else {
            format!("INV-FAKE-{n}<b>")
        };
        let notice = shop.pakasir.notice(&id, 10_000);
        assert_eq!(shop.pakasir.post_webhook(&notice).await, Ok(200));
    }
    events_handled(&db.pool, 30).await;
    settled(&db.pool).await;
    let owner = shop.api.delivered_to(OWNER);
    let sent = owner.iter().filter(|c| c.method == "sendmessage").count();
    assert_eq!(sent, 1, "one message for the whole window");
    let last = owner
        .iter()
        .rev()
        .find_map(|c| c.text().map(str::to_owned))
        .unwrap_or_default();
    assert!(
        last.contains("<b>30</b>") && last.contains("no such invoice: <b>30</b>"),
        "{last}"
    );
    assert!(
        last.contains("INV-FAKE-") && last.contains("&lt;b&gt;"),
        "escaped: {last}"
    );
    assert!(!last.contains(&"X".repeat(100)), "long ids are cut");
    assert!(
        last.chars().count() < 1_500,
        "{} characters",
        last.chars().count()
    );
}

#[tokio::test]
async fn a_customer_who_blocks_the_bot_before_paying_gets_the_goods_and_is_told_on_return() {
    let db = TestDb::new().await;
    let item = product(&db.pool, "YT", "YouTube", 15_000, 1).await;
    let shop = qris_shop(
        &db,
        &[
            ("OWNER_ALERT_FAILED_JOBS", "1"),
            ("MAINTENANCE_EVERY", "1s"),
        ],
    )
    .await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    with_cart(&db.pool, &mut ana, item, 1).await;
    ana.press("pay:qris:7");
    ana.next("sendphoto").await;
    let order = public_id(&db.pool, ana.id).await;
    shop.api.block(ana.id);
    eventually("the customer marked unreachable", WAIT, || async {
        let marked: bool = sqlx::query_scalar(
            "SELECT unreachable_at IS NOT NULL FROM users WHERE telegram_id = $1",
        )
        .bind(ana.id)
        .fetch_one(&db.pool)
        .await
        .expect("user");
        marked.then_some(())
    })
    .await;
    assert_eq!(shop.pakasir.pay(&order).await, Ok(200));
    delivered(&db.pool, 1).await;
    settled(&db.pool).await;
    assert_eq!(
        failed_jobs(&db.pool).await,
        0,
        "an expected state, not a failure"
    );
    let missed: bool =
        sqlx::query_scalar("SELECT goods_missed_at IS NOT NULL FROM orders WHERE public_id = $1")
            .bind(&order)
            .fetch_one(&db.pool)
            .await
            .expect("order");
    assert!(missed, "the order remembers its goods did not arrive");
    shop.api.unblock(ana.id);
    let notice = loop {
        let text = ana.next_text().await;
        if text.contains("Selamat datang kembali") {
            break text;
        }
    };
    assert!(notice.contains(&order), "{notice}");
    ana.say("/start");
    ana.next_text().await;
    settled(&db.pool).await;
    let told = ana
        .delivered()
        .iter()
        .filter(|c| {
            c.text()
                .is_some_and(|t| t.contains("Selamat datang kembali"))
        })
        .count();
    assert_eq!(told, 1, "told once");
    let paged = shop
        .api
        .delivered_to(OWNER)
        .iter()
        .any(|c| c.text().is_some_and(|t| t.contains("failed job")));
    assert!(!paged, "the owner is not paged about a blocked customer");
}

#[tokio::test]
async fn a_429_storm_during_a_broadcast_delays_it_and_its_progress_ends_done() {
    let db = TestDb::new().await;
    sqlx::query(
        "INSERT INTO users (telegram_id, first_name) SELECT 300000 + n, 'C' || n FROM generate_series(1, 20) n",
    )
    .execute(&db.pool)
    .await
    .expect("customers");
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = crate::chat::shop(&db, &api, &[("TELEGRAM_OWNER_IDS", "777")]);
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.press("a:b");
    owner.next_text().await;
    owner.say("📣 Diskon!");
    let start: String = eventually("the draft", WAIT, || async {
        sqlx::query_scalar("SELECT 'a:bg:' || id FROM broadcasts")
            .fetch_optional(&db.pool)
            .await
            .expect("draft")
    })
    .await;
    owner.press(&start);
    api.storm(Duration::from_secs(5), 2);
    db.until(
        "the broadcast done",
        Duration::from_secs(60),
        "SELECT count(*) FROM broadcasts WHERE status = 'done'",
        1,
    )
    .await;
    settled(&db.pool).await;
    let mut got: Vec<i64> = api
        .calls()
        .into_iter()
        .filter(|c| c.ok && c.text() == Some("📣 Diskon!") && c.chat_id != Some(OWNER))
        .filter_map(|c| c.chat_id)
        .collect();
    got.sort_unstable();
    let all = got.len();
    got.dedup();
    assert_eq!((all, got.len()), (20, 20), "everyone once");
    let progress = api
        .delivered_to(OWNER)
        .into_iter()
        .rev()
        .find(|c| c.text().is_some_and(|t| t.contains("Broadcast #")))
        .expect("a progress message");
    let text = progress.text().unwrap_or("");
    assert!(
        text.contains("done: sent 21 · failed 0"),
        "the owner is a recipient too: {text}"
    );
}

#[tokio::test]
async fn staff_working_the_admin_menu_fast_are_not_throttled() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = crate::chat::shop(&db, &api, &[("TELEGRAM_OWNER_IDS", "777")]);
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    // Far more than the customers' limit (20 actions in 10 s).
    let home = workers::bot::admin::MenuPress::Home.encode();
    let presses: Vec<String> = (0..30).map(|_| owner.press(&home)).collect();
    for press in &presses {
        let answer = owner.answered(press).await;
        let notice = answer.body["text"].as_str().unwrap_or("");
        assert!(!notice.contains("spam"), "throttled: {notice}");
    }
    let warned = api
        .delivered_to(OWNER)
        .iter()
        .any(|c| c.text().is_some_and(|t| t.contains("Jangan spam")));
    assert!(!warned, "no anti-spam warning for staff");
}
