//! Payments benchmark: a Pakasir webhook in → `payment.confirm` (project, amount,
//! transactiondetail at the stand-in, order paid and contents sold) → `order.deliver` → the
//! goods at the stand-in Bot API, with the real binary (`run`) on a fresh database.
//!
//!     SQLX_OFFLINE=true cargo bench --bench payments
//!
//! Orders are prepared directly in the database (awaiting payment, one reserved content, an
//! open invoice), so only the webhook-to-goods path is measured. Webhooks are posted at each
//! rate in BENCH_RATES (default `50,200`) for BENCH_SECONDS (10). Prints the webhook's HTTP
//! answer time and the time from posting it to the goods reaching the customer's chat.
//! BENCH_SHOP_ENV adds `K=V;K=V` settings to the shop. Database as in the other benchmarks
//! (BENCH_DATABASE_URL).

mod common;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use bot_auto_order::standin::pakasir::PakasirStandin;
use bot_auto_order::standin::telegram::TelegramStandin;
use sqlx::PgPool;

const BIN: &str = env!("CARGO_BIN_EXE_bot-auto-order");

fn main() -> anyhow::Result<()> {
    tokio::runtime::Runtime::new()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let rates: Vec<usize> = std::env::var("BENCH_RATES")
        .unwrap_or_else(|_| "50,200".to_owned())
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .collect();
    let seconds: usize = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let total: usize = rates.iter().map(|r| r * seconds).sum();
    let db = common::BenchDb::create("bao_bench_payments").await?;
    let api = TelegramStandin::start().await?;
    let pakasir = PakasirStandin::start("bench", "bench-key").await?;
    let orders = prepare(&db.pool, &pakasir, total).await?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    pakasir.set_webhook(&format!("http://127.0.0.1:{port}/webhooks/pakasir"));
    let shop = Shop::spawn(&db.url, &api, &pakasir, port)?;
    wait_ready(port).await?;

    println!("## Payment webhook → goods delivered (`run`: ingress and workers in one process)\n");
    println!(
        "| webhooks/s | webhooks | answer p50 ms | answer p99 ms | goods p50 ms | goods p99 ms | goods max ms |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut next = 0;
    let mut seen = 0;
    for rate in rates {
        let batch = &orders[next..next + rate * seconds];
        next += rate * seconds;
        let sent: Arc<Mutex<HashMap<i64, Instant>>> = Arc::default();
        let answers: Arc<Mutex<Vec<f64>>> = Arc::default();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (n, (chat, public_id)) in batch.iter().enumerate() {
            let due = started + Duration::from_secs_f64(n as f64 / rate as f64);
            tokio::time::sleep_until(due.into()).await;
            let (pakasir, sent, answers) = (pakasir.clone(), sent.clone(), answers.clone());
            let (chat, public_id) = (*chat, public_id.clone());
            tasks.push(tokio::spawn(async move {
                let at = Instant::now();
                if let Ok(mut sent) = sent.lock() {
                    sent.insert(chat, at);
                }
                let status = pakasir.pay(&public_id).await;
                if let Ok(mut answers) = answers.lock() {
                    answers.push(at.elapsed().as_secs_f64() * 1000.0);
                }
                status
            }));
        }
        for task in tasks {
            let status = task.await?.map_err(anyhow::Error::msg)?;
            anyhow::ensure!(status == 200, "webhook answered {status}");
        }
        let mut goods = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while goods.len() < batch.len() {
            anyhow::ensure!(
                Instant::now() < deadline,
                "only {} of {} deliveries arrived",
                goods.len(),
                batch.len()
            );
            let calls = api.calls_after(seen);
            seen += calls.len();
            let sent = sent.lock().map_err(|_| anyhow::anyhow!("lock"))?.clone();
            for call in calls {
                if call.ok
                    && call.method == "sendmessage"
                    && let Some(at) = call.chat_id.and_then(|chat| sent.get(&chat))
                {
                    goods.push(call.at.saturating_duration_since(*at).as_secs_f64() * 1000.0);
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let mut answers = answers.lock().map_err(|_| anyhow::anyhow!("lock"))?.clone();
        answers.sort_by(f64::total_cmp);
        goods.sort_by(f64::total_cmp);
        let pct = |v: &[f64], p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "| {rate} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            batch.len(),
            pct(&answers, 0.5),
            pct(&answers, 0.99),
            pct(&goods, 0.5),
            pct(&goods, 0.99),
            pct(&goods, 1.0)
        );
    }
    drop(shop);
    db.drop().await
}

/// `count` customers, each with an order awaiting payment: one reserved content and an open
/// invoice, known to the stand-in Pakasir. Returns (chat, order id at Pakasir).
async fn prepare(
    pool: &PgPool,
    pakasir: &PakasirStandin,
    count: usize,
) -> anyhow::Result<Vec<(i64, String)>> {
    let count = i64::try_from(count)?;
    sqlx::raw_sql(
        "INSERT INTO products (code, name, price) VALUES ('BENCH', 'Bench product', 10000)",
    )
    .execute(pool)
    .await?;
    sqlx::query(
        r#"
        WITH u AS (
            INSERT INTO users (telegram_id, first_name)
            SELECT 1000000 + n, 'Buyer' FROM generate_series(1, $1) n RETURNING id, telegram_id
        ), o AS (
            INSERT INTO orders (public_id, user_id, payment_method, subtotal, total, expires_at)
            SELECT 'INV-B' || telegram_id, id, 'qris', 10000, 10000, now() + interval '1 hour' FROM u
            RETURNING id, user_id, public_id
        ), i AS (
            INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity)
            SELECT o.id, p.id, p.name, 10000, 1 FROM o, products p
        ), v AS (
            INSERT INTO invoices (order_id, user_id, gateway_order_id, amount, status, fee, total_payment, expires_at)
            SELECT id, user_id, public_id, 10000, 'open', 380, 10380, now() + interval '1 hour' FROM o
        )
        INSERT INTO product_contents (product_id, content, state, order_id, reserved_at)
        SELECT p.id, 'code-' || o.public_id, 'reserved', o.id, now() FROM o, products p
        "#,
    )
    .bind(count)
    .execute(pool)
    .await
    .context("prepare orders")?;
    sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await?;
    let orders: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.telegram_id, o.public_id FROM orders o JOIN users u ON u.id = o.user_id ORDER BY o.id",
    )
    .fetch_all(pool)
    .await?;
    for (_, public_id) in &orders {
        pakasir.insert(public_id, 10_000, "pending");
    }
    Ok(orders)
}

async fn wait_ready(port: u16) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = client
            .get(format!("http://127.0.0.1:{port}/ready"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ready {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "the shop did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The shop process, stopped with SIGTERM when dropped.
struct Shop {
    _process: common::Process,
}

impl Shop {
    fn spawn(
        url: &str,
        api: &TelegramStandin,
        pakasir: &PakasirStandin,
        port: u16,
    ) -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!("bao-bench-payments-{}", std::process::id()));
        let mut command = Command::new(BIN);
        command
            .arg("run")
            .current_dir(std::env::temp_dir())
            .env("DATABASE_URL", url)
            .env("TELEGRAM_BOT_TOKEN", "123:BENCH")
            .env("TELEGRAM_API_URL", &api.url)
            .env("PAKASIR_PROJECT", &pakasir.project)
            .env("PAKASIR_API_KEY", &pakasir.api_key)
            .env("PAKASIR_API_URL", &pakasir.url)
            .env("HTTP_BIND", format!("127.0.0.1:{port}"))
            .env("LOG_DIR", &dir)
            .env("RUST_LOG", "warn")
            .env("MAINTENANCE_EVERY", "1h")
            .env("TELEMETRY_FLUSH_EVERY", "1h")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let extra = std::env::var("BENCH_SHOP_ENV").unwrap_or_default();
        for pair in extra.split(';').filter(|p| !p.is_empty()) {
            if let Some((key, value)) = pair.split_once('=') {
                command.env(key.trim(), value.trim());
            }
        }
        Ok(Shop {
            _process: common::Process(command.spawn().context("spawn the shop")?),
        })
    }
}
