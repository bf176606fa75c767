//! Payments benchmark: a Pakasir webhook in → `payment.confirm` (project, amount,
//! transactiondetail at the stand-in, order paid, contents sold and the goods queued) →
//! `telegram.send` → the goods at the stand-in Bot API, with the real binary (`run`) on a
//! fresh database.
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
#[path = "common/orders.rs"]
mod orders;
#[path = "common/qris_shop.rs"]
mod qris_shop;
#[path = "common/standin.rs"]
mod standin;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bot_auto_order::standin::pakasir::PakasirStandin;
use qris_shop::QrisShop;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Runtime::new()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let rates: Vec<usize> = std::env::var("BENCH_RATES")
        .unwrap_or_else(|_| "50,200".to_owned())
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .collect();
    let seconds = common::setting("BENCH_SECONDS", 10);
    let total: usize = rates.iter().map(|r| r * seconds).sum();
    let db = common::BenchDb::create("bao_bench_payments").await?;
    println!("{}\n", common::machine());
    let api = standin::standin().await?;
    let pakasir = PakasirStandin::start("bench", "bench-key").await?;
    let orders: Vec<(i64, String)> = orders::prepare(&db.pool, &pakasir, total, 3_600.0)
        .await?
        .into_iter()
        .map(|(chat, public_id, _)| (chat, public_id))
        .collect();
    let shop = QrisShop::start(&db.url, &api, &pakasir, &[]).await?;

    println!("## Payment webhook → goods delivered (`run`: ingress and workers in one process)\n");
    println!(
        "| webhooks/s | webhooks | answer p50 ms | answer p99 ms | goods p50 ms | goods p99 ms | goods max ms |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut next = 0;
    let mut seen = 0;
    let mut costs = Vec::new();
    for rate in rates {
        let before = common::Statements::snapshot(&db.pool).await;
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
        common::settled(&db.pool).await?;
        let cost = common::Statements::since(&db.pool, before, "payment", batch.len()).await;
        costs.push(format!("At {rate}/s, {cost}"));
    }
    println!("\n{}", costs.join("\n"));
    shop.finish(&api, db).await
}
