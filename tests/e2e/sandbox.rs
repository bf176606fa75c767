//! Sandbox mode: `run` without TELEGRAM_BOT_TOKEN on a database of its own with the demo
//! catalog, refused to a shop with a real token; and the web chat in headless Chromium — a
//! customer buys end to end (catalog → cart → QRIS → simulated payment → goods), the admin adds
//! a product with stock from an uploaded file and opens the dashboard from the bot's link.

use std::time::Duration;

use fantoccini::{Client, Locator};
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

use crate::browser::{browser, free_port};
use crate::chat::WAIT;
use crate::support::{Proc, TestDb, admin_url, eventually};

/// The sandbox's database next to the test's: created by the sandbox, dropped with this.
struct SandboxDb {
    name: String,
    pool: PgPool,
}

impl SandboxDb {
    async fn of(db: &TestDb) -> Self {
        let name = format!("{}_sandbox", db.name);
        let url = crate::support::url_of(&name);
        let pool = eventually("the sandbox's database", WAIT, || async {
            let pool = PgPool::connect(&url).await.ok()?;
            // Seeded once migrated: the mark is the last thing written.
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sandbox")
                .fetch_one(&pool)
                .await
                .ok()
                .filter(|n| *n == 1)
                .map(|_| pool)
        })
        .await;
        SandboxDb { name, pool }
    }

    async fn scalar(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.pool)
            .await
            .expect(sql)
    }

    async fn drop_database(self) {
        self.pool.close().await;
        let mut admin = PgConnection::connect(&admin_url()).await.expect("admin");
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .expect("drop the sandbox database");
    }
}

/// `run` without a token, listening on `port`.
fn sandbox(db: &TestDb, port: u16) -> Proc {
    let bind = format!("127.0.0.1:{port}");
    db.spawn(&["run"], &[("HTTP_BIND", bind.as_str())])
}

async fn wait_for_page(port: u16) {
    eventually("the sandbox page", WAIT, || async {
        let page = reqwest::get(format!("http://127.0.0.1:{port}/sandbox"))
            .await
            .ok()?;
        let body = page.text().await.ok()?;
        body.contains("sandbox").then_some(())
    })
    .await;
}

#[tokio::test]
async fn run_without_a_token_is_the_sandbox_on_a_database_of_its_own() {
    let db = TestDb::new().await;
    let port = free_port();
    let mut shop = sandbox(&db, port);
    wait_for_page(port).await;
    assert!(
        shop.output().contains("SANDBOX MODE"),
        "it says so loudly: {}",
        shop.output()
    );
    let sandbox_db = SandboxDb::of(&db).await;
    assert_eq!(
        sandbox_db.scalar("SELECT count(*) FROM products").await,
        4,
        "the demo catalog"
    );
    let real = db.scalar("SELECT count(*) FROM products").await;
    assert_eq!(real, 0, "the shop's own database is untouched");

    // Chat through the web chat's API: the stand-in Bot API answers as Telegram would.
    let http = reqwest::Client::new();
    let api = format!("http://127.0.0.1:{port}/sandbox/api");
    let welcome = |http: reqwest::Client, api: String| async move {
        let view: serde_json::Value = http
            .get(format!("{api}/chat?as=customer"))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        let welcomes = view["messages"]
            .as_array()?
            .iter()
            .filter(|m| m["html"].as_str().is_some_and(|h| h.contains("Welcome to")))
            .count();
        Some(welcomes)
    };
    assert_eq!(
        send(&http, &api, "mallory", "/start").await,
        400,
        "an unknown participant is refused"
    );
    assert_eq!(send(&http, &api, "customer", "/start").await, 200);
    eventually("the welcome in the web chat", WAIT, || async {
        (welcome(http.clone(), api.clone()).await? == 1).then_some(())
    })
    .await;

    // A second start seeds nothing again, and its updates are still read (the poller's offset
    // survived in the database; the new stand-in numbers its updates after it).
    shop.sigterm();
    shop.exit_status(Duration::from_secs(20)).await;
    let shop = sandbox(&db, port);
    wait_for_page(port).await;
    assert_eq!(sandbox_db.scalar("SELECT count(*) FROM products").await, 4);
    assert_eq!(send(&http, &api, "customer", "/start").await, 200);
    eventually("the welcome after a restart", WAIT, || async {
        (welcome(http.clone(), api.clone()).await? == 1).then_some(())
    })
    .await;
    drop(shop);

    // A real token never runs on the sandbox's database.
    let sandbox_url = crate::support::url_of(&sandbox_db.name);
    let (ok, _, stderr) = db.run(
        &["run"],
        &[
            ("DATABASE_URL", sandbox_url.as_str()),
            ("TELEGRAM_BOT_TOKEN", "123:REAL"),
        ],
    );
    assert!(!ok);
    assert!(stderr.contains("belongs to the sandbox"), "{stderr}");
    sandbox_db.drop_database().await;
}

/// Send `text` as `who` through the web chat's API; the HTTP status.
async fn send(http: &reqwest::Client, api: &str, who: &str, text: &str) -> u16 {
    http.post(format!("{api}/send"))
        .json(&serde_json::json!({ "as": who, "text": text }))
        .send()
        .await
        .expect("send")
        .status()
        .as_u16()
}

/// Click the element at `xpath` once it is there (the chat redraws; a stale one is found again).
async fn click(client: &Client, xpath: &str) {
    eventually(&format!("to click {xpath}"), WAIT, || async {
        client
            .find(Locator::XPath(xpath))
            .await
            .ok()?
            .click()
            .await
            .ok()
    })
    .await;
}

/// Wait until a message from the bot contains `text`.
async fn bot_says(client: &Client, text: &str) {
    let xpath = format!("//div[contains(@class, 'bot')][contains(., '{text}')]");
    eventually(&format!("the bot to say {text:?}"), WAIT, || async {
        client.find(Locator::XPath(&xpath)).await.ok()
    })
    .await;
}

async fn say(client: &Client, text: &str) {
    let input = client
        .find(Locator::Css("#input"))
        .await
        .expect("the message input");
    input.send_keys(text).await.expect("type");
    crate::browser::press(client, Locator::Css("#send")).await;
}

fn inline(label: &str) -> String {
    format!("//div[@class='buttons']//button[normalize-space()='{label}']")
}

#[tokio::test]
async fn in_the_web_chat_a_customer_buys_and_the_admin_adds_a_product_with_stock() {
    let db = TestDb::new().await;
    let port = free_port();
    let _shop = sandbox(&db, port);
    wait_for_page(port).await;
    let sandbox_db = SandboxDb::of(&db).await;
    let (_driver, client) = browser().await;
    client
        .goto(&format!("http://127.0.0.1:{port}/sandbox"))
        .await
        .expect("open the sandbox");

    // The customer: catalog → cart → QRIS → simulated payment → goods.
    say(&client, "/start").await;
    bot_says(&client, "Welcome to").await;
    click(
        &client,
        "//div[@id='keyboard']//button[normalize-space()='🛍 All Products']",
    )
    .await;
    click(&client, &inline("🛍 All products")).await;
    bot_says(&client, "Netflix Premium").await;
    // The list numbers products by name: Canva, Netflix, Spotify (VPN has no stock).
    click(&client, &inline("2")).await;
    // Netflix comes in three variants; the month has a quantity tier.
    bot_says(&client, "Pick a variant").await;
    bot_says(&client, "12 months").await;
    click(&client, &inline("1. 1 month")).await;
    bot_says(&client, "From 5: Rp 32.000 each").await;
    click(&client, &inline("🛒 Add to cart")).await;
    click(&client, &inline("🧺 Cart (1)")).await;
    click(&client, &inline("💳 Proceed to payment")).await;
    click(&client, &inline("💠 QRIS")).await;
    let photo = eventually("the QR invoice shown", WAIT, || async {
        client.find(Locator::Css("img.photo")).await.ok()
    })
    .await;
    let width: i64 = client
        .execute(
            "return arguments[0].naturalWidth",
            vec![serde_json::to_value(&photo).expect("element")],
        )
        .await
        .ok()
        .and_then(|v| v.as_i64())
        .unwrap_or(0);
    assert!(width > 0, "the QR image loaded");
    click(&client, "//button[contains(@class, 'pay')]").await;
    bot_says(&client, "Payment received").await;
    bot_says(&client, "demo-netflix1m-").await;
    assert_eq!(
        sandbox_db
            .scalar("SELECT count(*) FROM orders WHERE status = 'delivered'")
            .await,
        1
    );
    eventually("the jobs panel shows finished jobs", WAIT, || async {
        let counts = client
            .find(Locator::Css("#counts"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        counts.contains("done:").then_some(())
    })
    .await;

    // The admin: a new product whose stock comes from an uploaded .txt file.
    click(&client, "//input[@id='who-admin']").await;
    say(&client, "/admin").await;
    click(&client, &inline("🛒 Products")).await;
    click(&client, &inline("➕ New product")).await;
    bot_says(&client, "step 1/7").await;
    say(&client, "GAME50").await;
    bot_says(&client, "Step 2/7").await;
    say(&client, "Game voucher 50").await;
    bot_says(&client, "Step 3/7").await;
    say(&client, "15000").await;
    bot_says(&client, "Step 4/7").await;
    say(&client, "A top-up code").await;
    click(&client, &inline("— Uncategorised")).await;
    bot_says(&client, "Step 6/7").await;
    let file = db.dir.path().join("stock.txt");
    std::fs::write(&file, "GAME-AAA\nGAME-BBB\nGAME-CCC\n").expect("stock file");
    client
        .find(Locator::Css("#file"))
        .await
        .expect("the file input")
        .send_keys(&file.to_string_lossy())
        .await
        .expect("choose the file");
    click(&client, "//button[@id='upload']").await;
    bot_says(&client, "3 content(s) so far").await;
    click(&client, &format!("({})[last()]", inline("✅ Finish"))).await;
    bot_says(&client, "created with stock 3").await;
    assert_eq!(
        sandbox_db
            .scalar(
                "SELECT count(*) FROM product_contents pc JOIN product_variants v ON v.id = pc.variant_id
                 WHERE v.code = 'GAME50' AND pc.state = 'available'"
            )
            .await,
        3
    );
    // The admin can rehearse the dashboard too: the bot's link opens it (PUBLIC_URL defaults
    // to this machine in the sandbox).
    say(&client, "/admin").await;
    click(&client, &format!("({})[last()]", inline("🖥 Dashboard"))).await;
    let link = eventually("the dashboard link", WAIT, || async {
        client
            .find(Locator::XPath("//a[contains(., 'Open the dashboard')]"))
            .await
            .ok()?
            .attr("href")
            .await
            .ok()
            .flatten()
    })
    .await;
    assert!(
        link.starts_with(&format!("http://127.0.0.1:{port}/dashboard/login/")),
        "{link}"
    );
    client.goto(&link).await.expect("open the dashboard");
    let heading = client
        .find(Locator::Css("h1"))
        .await
        .expect("a heading")
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(heading, "Overview");
    client.close().await.expect("close the browser");
    sandbox_db.drop_database().await;
}
