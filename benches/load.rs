//! Load and soak: simulated customers doing whole purchases — /start, product, add to cart,
//! cart, checkout, QRIS invoice, payment, goods — through the stand-in Bot API and the stand-in
//! Pakasir, against the real binary (`run`) on a fresh database (`standin::load`).
//!
//!     SQLX_OFFLINE=true cargo bench --bench load
//!
//! Environment: LOAD_CUSTOMERS (300) customers per round; LOAD_CONCURRENCY (`10,50`) customers
//! shopping at once, one round per value; SOAK_SECONDS (0: no soak) runs a soak after the
//! rounds at SOAK_CONCURRENCY (4) customers at once, sampling the shop's resident memory and
//! the queue every SOAK_SAMPLE_SECONDS (5); BENCH_SHOP_ENV adds `K=V;K=V` settings to the shop.
//! Database as in the other benchmarks (BENCH_DATABASE_URL).

mod common;
#[path = "common/qris_shop.rs"]
mod qris_shop;
#[path = "common/standin.rs"]
mod standin;

use std::time::{Duration, Instant};

use bot_auto_order::standin::load::{self, Plan, Sample};
use bot_auto_order::standin::pakasir::PakasirStandin;
use qris_shop::QrisShop;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Runtime::new()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let customers = common::setting("LOAD_CUSTOMERS", 300);
    let rounds: Vec<usize> = std::env::var("LOAD_CONCURRENCY")
        .unwrap_or_else(|_| "10,50".to_owned())
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    let soak = Duration::from_secs(common::setting("SOAK_SECONDS", 0) as u64);
    let soak_concurrency = common::setting("SOAK_CONCURRENCY", 4);
    let sample_every = Duration::from_secs(common::setting("SOAK_SAMPLE_SECONDS", 5).max(1) as u64);

    let db = common::BenchDb::create("bao_bench_load").await?;
    // Enough stock for every round and a soak at up to 100 purchases a second.
    let stock = (customers * rounds.len()) as i64 + soak.as_secs() as i64 * 100;
    let product = load::seed_product(&db.pool, stock).await?;
    let api = standin::standin().await?;
    let pakasir = PakasirStandin::start("bench", "bench-key").await?;
    let shop = QrisShop::start(&db.url, &api, &pakasir, &[("SPAM_MAX_ACTIONS", "1000000")]).await?;
    println!("{}\n", common::machine());

    let mut first_chat = 5_000_000;
    for concurrency in rounds {
        let plan = Plan {
            customers,
            concurrency,
            first_chat,
            product,
            marker: load::MARKER.to_owned(),
            step_timeout: Duration::from_secs(60),
            until: None,
        };
        first_chat += customers as i64;
        let before = common::Statements::snapshot(&db.pool).await;
        let report = load::run(&api, &pakasir, &plan).await;
        common::settled(&db.pool).await?;
        let cost =
            common::Statements::since(&db.pool, before, "purchase", report.journeys.len()).await;
        println!(
            "## {customers} customers, {concurrency} at a time: {} purchases in {:.1} s = {:.1} purchases/s, {} failed\n",
            report.journeys.len(),
            report.elapsed.as_secs_f64(),
            report.throughput(),
            report.failures.len()
        );
        println!("{}", report.table());
        println!("Per round, {cost}\n");
        for failure in report.failures.iter().take(5) {
            println!("failure: {failure}");
        }
        anyhow::ensure!(report.failures.is_empty(), "purchases failed");
    }

    if !soak.is_zero() {
        let until = Instant::now() + soak;
        let plan = Plan {
            customers: usize::MAX,
            concurrency: soak_concurrency,
            first_chat,
            product,
            marker: load::MARKER.to_owned(),
            step_timeout: Duration::from_secs(60),
            until: Some(until),
        };
        let (report, samples) = tokio::join!(
            load::run(&api, &pakasir, &plan),
            load::sample_until(shop.pid(), &db.pool, sample_every, until)
        );
        let samples = samples?;
        println!(
            "## Soak: {} s, {soak_concurrency} customers at a time: {} purchases ({:.1}/s), {} failed\n",
            soak.as_secs(),
            report.journeys.len(),
            report.throughput(),
            report.failures.len()
        );
        println!("{}", report.table());
        print_samples(&samples);
        anyhow::ensure!(report.failures.is_empty(), "purchases failed in the soak");
    }
    println!("\n{}", standin::strictness_line(&api));
    common::top_statements(&db.pool).await?;
    drop(shop);
    db.drop().await
}

/// About twenty evenly spaced samples, then the summary.
fn print_samples(samples: &[Sample]) {
    println!(
        "| t s | RSS MiB | jobs pending | jobs running | outbox pending |\n|---|---|---|---|---|"
    );
    let step = (samples.len() / 20).max(1);
    for sample in samples.iter().step_by(step) {
        println!(
            "| {:.0} | {:.1} | {} | {} | {} |",
            sample.at.as_secs_f64(),
            sample.rss_kib as f64 / 1024.0,
            sample.pending,
            sample.running,
            sample.outbox
        );
    }
    let max_rss = samples.iter().map(|s| s.rss_kib).max().unwrap_or(0);
    let max_pending = samples.iter().map(|s| s.pending).max().unwrap_or(0);
    println!(
        "\nRSS max {:.1} MiB; growth (last third vs middle third, medians) {} KiB; jobs pending at most {max_pending}",
        max_rss as f64 / 1024.0,
        load::rss_growth_kib(samples).map_or_else(|| "–".to_owned(), |g| g.to_string())
    );
}
