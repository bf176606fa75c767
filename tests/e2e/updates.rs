//! Updates from Telegram: the single poller, the webhook, per-chat order, duplicates, and
//! the first conversation (/start).

use std::time::Duration;

use bot_auto_order::standin::telegram::TelegramStandin;
use serde_json::{Value, json};

use crate::support::{Proc, TestDb};

const WAIT: Duration = Duration::from_secs(30);
const OWNER: i64 = 777;

fn user(id: i64, name: &str) -> Value {
    json!({ "id": id, "is_bot": false, "first_name": name, "language_code": "id" })
}

fn text_update(chat: i64, name: &str, text: &str) -> Value {
    json!({ "message": {
        "message_id": 1, "date": 1_700_000_000,
        "chat": { "id": chat, "type": "private", "first_name": name },
        "from": user(chat, name), "text": text,
    }})
}

fn shop_env(api: &TelegramStandin) -> Vec<(&'static str, String)> {
    vec![
        ("TELEGRAM_BOT_TOKEN", "123:TEST".to_owned()),
        ("TELEGRAM_API_URL", api.url.clone()),
        ("TELEGRAM_OWNER_IDS", OWNER.to_string()),
        ("STORE_NAME", "Toko <Digital>".to_owned()),
    ]
}

fn spawn(db: &TestDb, args: &[&str], env: &[(&'static str, String)]) -> Proc {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    db.spawn(args, &env)
}

async fn handled_in_order(db: &TestDb, chat: i64) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT update_id FROM telegram_updates WHERE chat_id = $1 ORDER BY handled_at",
    )
    .bind(chat)
    .fetch_all(&db.pool)
    .await
    .expect("handled")
}

#[tokio::test]
async fn start_greets_by_name_with_the_menu_of_the_role() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = spawn(&db, &["run"], &shop_env(&api));
    api.push_update(text_update(OWNER, "Owner", "/start"));
    api.wait_for("the owner's welcome", WAIT, |calls| {
        calls.iter().any(|c| c.ok && c.chat_id == Some(OWNER))
    })
    .await;
    api.push_update(text_update(1001, "Ana <3", "/start"));
    let calls = api
        .wait_for("the customer's welcome", WAIT, |calls| {
            calls
                .iter()
                .any(|c| c.ok && c.method == "sendmessage" && c.chat_id == Some(1001))
        })
        .await;
    let to = |chat: i64| {
        calls
            .iter()
            .find(|c| c.chat_id == Some(chat) && c.method == "sendmessage")
            .cloned()
            .expect("a message")
    };
    let customer = to(1001);
    let text = customer.text().unwrap_or("");
    assert!(
        text.contains("Hai <b>Ana &lt;3</b>"),
        "escaped name: {text}"
    );
    assert!(text.contains("Toko &lt;Digital&gt;"), "store name: {text}");
    assert!(
        text.contains("Pelanggan: <b>1</b>"),
        "customer count (the owner is not a customer): {text}"
    );
    let menu = customer.body["reply_markup"]["keyboard"].to_string();
    assert!(
        menu.contains("Semua Produk") && !menu.contains("Menu Admin"),
        "{menu}"
    );
    let owner_menu = to(OWNER).body["reply_markup"]["keyboard"].to_string();
    assert!(owner_menu.contains("Menu Admin"), "{owner_menu}");
    let users = db.scalar("SELECT count(*) FROM users").await;
    assert_eq!(users, 2);
}

#[tokio::test]
async fn a_chats_burst_is_handled_in_order_by_two_workers_and_one_poller() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let env = shop_env(&api);
    let _ingress_a = spawn(&db, &["ingress"], &env);
    let _ingress_b = spawn(&db, &["ingress"], &env);
    let _worker_a = spawn(&db, &["worker", "--queues", "updates,telegram"], &env);
    let _worker_b = spawn(&db, &["worker", "--queues", "updates,telegram"], &env);
    let mut ids = Vec::new();
    for n in 0..40 {
        let chat = if n % 2 == 0 { 1001 } else { 2002 };
        ids.push((
            chat,
            api.push_update(text_update(chat, "Burst", &format!("m{n}"))),
        ));
    }
    db.until(
        "all 40 updates handled",
        WAIT,
        "SELECT 40 - count(*) FROM telegram_updates WHERE handled_at IS NOT NULL",
        0,
    )
    .await;
    for chat in [1001, 2002] {
        let expected: Vec<i64> = ids
            .iter()
            .filter(|(c, _)| *c == chat)
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(
            handled_in_order(&db, chat).await,
            expected,
            "chat {chat} in order"
        );
    }
    api.wait_for("40 replies", WAIT, |calls| {
        calls
            .iter()
            .filter(|c| c.ok && c.method == "sendmessage")
            .count()
            == 40
    })
    .await;
    assert_eq!(api.conflicts(), 0, "only one process polled at a time");
}

#[tokio::test]
async fn the_webhook_checks_its_secret_and_takes_each_update_once() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let secret = "s3cret_webhook-token";
    let mut env = shop_env(&api);
    env.extend([
        ("TELEGRAM_MODE", "webhook".to_owned()),
        (
            "TELEGRAM_WEBHOOK_URL",
            "https://shop.example/telegram/webhook".to_owned(),
        ),
        ("TELEGRAM_WEBHOOK_SECRET", secret.to_owned()),
        ("HTTP_BIND", format!("127.0.0.1:{port}")),
    ]);
    let _shop = spawn(&db, &["run"], &env);
    api.wait_for("setWebhook with the secret", WAIT, |calls| {
        calls
            .iter()
            .any(|c| c.method == "setwebhook" && c.body["secret_token"] == secret)
    })
    .await;
    let url = format!("http://127.0.0.1:{port}/telegram/webhook");
    let client = reqwest::Client::new();
    let mut update = text_update(3003, "Web", "/start");
    update["update_id"] = json!(api.next_update_id());

    let forged = client
        .post(&url)
        .header("X-Telegram-Bot-Api-Secret-Token", "guess")
        .json(&update)
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 401);
    let missing = client.post(&url).json(&update).send().await.expect("post");
    assert_eq!(missing.status(), 401);

    for duplicate in [false, true] {
        let answer = client
            .post(&url)
            .header("X-Telegram-Bot-Api-Secret-Token", secret)
            .json(&update)
            .send()
            .await
            .expect("post");
        assert_eq!(answer.status(), 200);
        let body: Value = answer.json().await.expect("json");
        assert_eq!(body["duplicate"], duplicate);
    }
    let malformed = client
        .post(&url)
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(malformed.status(), 400);

    api.wait_for("the welcome", WAIT, |calls| {
        calls.iter().any(|c| c.ok && c.chat_id == Some(3003))
    })
    .await;
    // A later update of another chat being answered shows the duplicate had its chance.
    let mut later = text_update(4004, "Later", "hi");
    later["update_id"] = json!(api.next_update_id());
    client
        .post(&url)
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .json(&later)
        .send()
        .await
        .expect("post");
    api.wait_for("the later reply", WAIT, |calls| {
        calls.iter().any(|c| c.ok && c.chat_id == Some(4004))
    })
    .await;
    assert_eq!(api.delivered_to(3003).len(), 1, "one update, one reply");
    let stored = db.scalar("SELECT count(*) FROM telegram_updates").await;
    assert_eq!(stored, 2, "the forged and malformed calls stored nothing");
}

#[tokio::test]
async fn a_stale_button_gets_an_answer_and_a_clear_notice() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = spawn(&db, &["run"], &shop_env(&api));
    api.push_update(json!({ "callback_query": {
        "id": "cb-1", "from": user(1001, "Ana"), "chat_instance": "ci", "data": "product:999-old-format",
        "message": {
            "message_id": 5, "date": 1_700_000_000,
            "chat": { "id": 1001, "type": "private", "first_name": "Ana" }, "text": "old list"
        }
    }}));
    let calls = api
        .wait_for("the callback answer", WAIT, |calls| {
            calls
                .iter()
                .any(|c| c.ok && c.method == "answercallbackquery")
        })
        .await;
    let answer = calls
        .iter()
        .find(|c| c.method == "answercallbackquery")
        .expect("answer");
    assert_eq!(answer.body["callback_query_id"], "cb-1");
    assert!(
        answer.body["text"]
            .as_str()
            .unwrap_or("")
            .contains("tidak berlaku"),
        "{}",
        answer.body
    );
}
