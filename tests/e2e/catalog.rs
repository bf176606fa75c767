//! The customer's catalog: categories, pages of in-stock products, a product's detail, and
//! what a stale button shows.

use std::time::Duration;

use bot_auto_order::standin::telegram::{Call, TelegramStandin};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::TestDb;

const WAIT: Duration = Duration::from_secs(30);
const CHAT: i64 = 1001;

fn customer() -> Value {
    json!({ "id": CHAT, "is_bot": false, "first_name": "Ana", "language_code": "id" })
}

fn text(text: &str) -> Value {
    json!({ "message": {
        "message_id": 1, "date": 1_700_000_000,
        "chat": { "id": CHAT, "type": "private", "first_name": "Ana" },
        "from": customer(), "text": text,
    }})
}

fn press(id: &str, data: &str) -> Value {
    press_on(50, id, data)
}

/// A press on a button under message `message_id`.
fn press_on(message_id: i64, id: &str, data: &str) -> Value {
    json!({ "callback_query": {
        "id": id, "from": customer(), "chat_instance": "ci", "data": data,
        "message": {
            "message_id": message_id, "date": 1_700_000_000,
            "chat": { "id": CHAT, "type": "private", "first_name": "Ana" }, "text": "screen"
        }
    }})
}

/// A category with products: `stock` available contents each.
async fn seed(pool: &PgPool) -> (i64, Vec<i64>) {
    let category: i64 = sqlx::query_scalar(
        "INSERT INTO categories (name, emoji) VALUES ('Streaming', '🎬') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .expect("category");
    let mut products = Vec::new();
    for (n, stock) in [(1, 3), (2, 1), (3, 0), (4, 2), (5, 2), (6, 2), (7, 2)] {
        let id = crate::seed::listed(
            pool,
            &format!("P{n}"),
            &format!("Produk {n}"),
            10_000_i64 * n,
            Some(category),
            "Akun <premium> 1 bulan",
        )
        .await;
        let codes = (0..stock).map(|c| format!("code-{n}-{c}"));
        crate::seed::contents(pool, id, codes).await;
        products.push(id);
    }
    (category, products)
}

/// Wait for the `count`-th successful call of `method` and return it.
async fn nth(api: &TelegramStandin, method: &str, count: usize) -> Call {
    let calls = api
        .wait_for(&format!("{count} {method} calls"), WAIT, |calls| {
            calls.iter().filter(|c| c.ok && c.method == method).count() >= count
        })
        .await;
    calls
        .into_iter()
        .filter(|c| c.ok && c.method == method)
        .nth(count - 1)
        .expect("call")
}

#[tokio::test]
async fn a_customer_browses_categories_pages_and_a_product() {
    let db = TestDb::new().await;
    let (category, products) = seed(&db.pool).await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = crate::chat::shop(&db, &api, &[]);

    api.push_update(text("🛍 Semua Produk"));
    let categories = nth(&api, "sendmessage", 1).await;
    let buttons = categories.body["reply_markup"]["inline_keyboard"].to_string();
    assert!(buttons.contains("🎬 Streaming"), "{buttons}");
    assert!(buttons.contains(&format!("list:{category}:0")), "{buttons}");

    api.push_update(press("cb-1", &format!("list:{category}:0")));
    let page = nth(&api, "editmessagetext", 1).await;
    let body = page.text().unwrap_or("");
    assert!(body.contains("halaman 1/2"), "{body}");
    assert!(body.contains("Produk 1</b> — Rp 10.000 (stok 3)"), "{body}");
    assert!(!body.contains("Produk 3"), "out of stock hidden: {body}");
    assert_eq!(page.body["message_id"], 50, "edited in place");
    let keyboard = page.body["reply_markup"]["inline_keyboard"].to_string();
    assert!(
        keyboard.contains(&format!("list:{category}:1")),
        "next page: {keyboard}"
    );

    api.push_update(press("cb-2", &format!("list:{category}:1")));
    let second = nth(&api, "editmessagetext", 2).await;
    assert!(
        second.text().unwrap_or("").contains("Produk 7"),
        "{:?}",
        second.text()
    );

    api.push_update(press("cb-3", &format!("prod:{}:{category}:0", products[0])));
    let detail = nth(&api, "editmessagetext", 3).await;
    let body = detail.text().unwrap_or("");
    assert!(body.contains("Harga: <b>Rp 10.000</b>"), "{body}");
    assert!(body.contains("Stok: 3"), "{body}");
    assert!(
        body.contains("Akun &lt;premium&gt; 1 bulan"),
        "escaped description: {body}"
    );

    let answers = nth(&api, "answercallbackquery", 3).await;
    assert!(
        answers.body.get("text").is_none(),
        "answered silently: {}",
        answers.body
    );

    // A product without a description ends with its category: no blank lines.
    sqlx::query("UPDATE products SET description = '' WHERE id = $1")
        .bind(products[1])
        .execute(&db.pool)
        .await
        .expect("no description");
    api.push_update(press("cb-4", &format!("prod:{}:{category}:0", products[1])));
    let bare = nth(&api, "editmessagetext", 4).await;
    let body = bare.text().unwrap_or("");
    assert!(
        body.ends_with("Streaming") && !body.contains("\n\n\n"),
        "no blank lines at the end: {body:?}"
    );
}

#[tokio::test]
async fn stale_product_buttons_say_what_changed() {
    let db = TestDb::new().await;
    let (category, products) = seed(&db.pool).await;
    sqlx::query("UPDATE products SET status = 'archived' WHERE id = $1")
        .bind(products[0])
        .execute(&db.pool)
        .await
        .expect("archive");
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = crate::chat::shop(&db, &api, &[]);
    // Each stale button on a screen of its own (the same screen twice would be an edit that
    // changes nothing).
    for (n, product) in [products[0], products[2], 999_999].into_iter().enumerate() {
        api.push_update(press_on(
            60 + n as i64,
            &format!("cb-{n}"),
            &format!("prod:{product}:{category}:0"),
        ));
        let screen = nth(&api, "editmessagetext", n + 1).await;
        assert!(
            screen.text().unwrap_or("").contains("sudah tidak tersedia"),
            "product {product}: {:?}",
            screen.text()
        );
    }
    api.push_update(press("cb-forged", "admin:delete:1"));
    let answers = api
        .wait_for("the forged button's answer", WAIT, |calls| {
            calls
                .iter()
                .any(|c| c.ok && c.body["callback_query_id"] == "cb-forged")
        })
        .await;
    let forged = answers
        .iter()
        .find(|c| c.body["callback_query_id"] == "cb-forged")
        .expect("answer");
    assert!(
        forged.body["text"]
            .as_str()
            .unwrap_or("")
            .contains("tidak berlaku")
    );
    let products_left = db.scalar("SELECT count(*) FROM products").await;
    assert_eq!(products_left, 7, "nothing happened");
}

#[tokio::test]
async fn the_stock_overview_refreshes_in_place() {
    let db = TestDb::new().await;
    let (_, products) = seed(&db.pool).await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = crate::chat::shop(&db, &api, &[]);
    api.push_update(text("🏷 Cek Stok"));
    let overview = nth(&api, "sendmessage", 1).await;
    let body = overview.text().unwrap_or("");
    assert!(body.contains("Produk 1 ➜ <b>3x</b>"), "{body}");
    assert!(!body.contains("Produk 3"), "out of stock left out: {body}");
    assert!(
        body.contains("WIB"),
        "time in the shop's zone (Asia/Jakarta): {body}"
    );
    sqlx::query(
        "UPDATE product_contents SET state = 'sold', order_id = NULL, sold_at = now() WHERE id = (SELECT min(id) FROM product_contents WHERE variant_id = $1)",
    )
    .bind(products[0])
    .execute(&db.pool)
    .await
    .expect_err("a sold content needs its order (CHECK constraint)");
    sqlx::query("DELETE FROM product_contents WHERE id = (SELECT min(id) FROM product_contents WHERE variant_id = $1)")
        .bind(products[0])
        .execute(&db.pool)
        .await
        .expect("one less in stock");
    api.push_update(press("cb-refresh", "stock"));
    let refreshed = nth(&api, "editmessagetext", 1).await;
    assert!(
        refreshed
            .text()
            .unwrap_or("")
            .contains("Produk 1 ➜ <b>2x</b>"),
        "{:?}",
        refreshed.text()
    );
}
