//! The load generator (`standin::load`) against the whole shop: many customers doing whole
//! purchases at once through both stand-ins, and a soak with the shop's memory and the queue
//! sampled. Fast versions here; BAO_LONG_TESTS=1 runs the long ones (1,000 customers; a
//! 10-minute soak). The numbers for the README come from `cargo bench --bench load`.

use std::time::{Duration, Instant};

use bot_auto_order::standin::load::{self, Plan};

use crate::payments::qris_shop;
use crate::reconcile::assert_reconciled;
use crate::seed::settled;
use crate::support::{TestDb, long};

fn plan(product: load::Listing, customers: usize, concurrency: usize) -> Plan {
    Plan {
        customers,
        concurrency,
        first_chat: 3_000_000,
        product,
        marker: load::MARKER.to_owned(),
        step_timeout: Duration::from_secs(30),
        until: None,
    }
}

async fn sold(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM product_contents WHERE state = 'sold'")
        .fetch_one(pool)
        .await
        .expect("sold")
}

#[tokio::test]
async fn many_customers_buy_at_once() {
    let (customers, concurrency) = if long() { (1_000, 50) } else { (40, 10) };
    let db = TestDb::new().await;
    let product = load::seed_product(&db.pool, customers as i64 + 5)
        .await
        .expect("seed");
    let shop = qris_shop(&db, &[]).await;
    let report = load::run(
        &shop.api,
        &shop.pakasir,
        &plan(product, customers, concurrency),
    )
    .await;
    eprintln!(
        "{} purchases in {:.1} s ({:.1}/s)\n{}",
        report.journeys.len(),
        report.elapsed.as_secs_f64(),
        report.throughput(),
        report.table()
    );
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert_eq!(report.journeys.len(), customers);
    assert!(report.percentile(None, 0.99).is_some());
    assert_eq!(
        sold(&db.pool).await,
        customers as i64,
        "one content per purchase"
    );
    settled(&db.pool).await;
    assert_reconciled(&db.pool).await;
}

#[tokio::test]
async fn a_soak_keeps_memory_and_the_queue_flat() {
    let (seconds, every) = if long() { (600, 5) } else { (20, 1) };
    let db = TestDb::new().await;
    let product = load::seed_product(&db.pool, seconds * 100)
        .await
        .expect("seed");
    let shop = qris_shop(&db, &[]).await;
    let until = Instant::now() + Duration::from_secs(seconds as u64);
    let mut plan = plan(product, usize::MAX, 3);
    plan.until = Some(until);
    let (report, samples) = tokio::join!(
        load::run(&shop.api, &shop.pakasir, &plan),
        load::sample_until(
            shop.process.pid(),
            &db.pool,
            Duration::from_secs(every),
            until
        )
    );
    let samples = samples.expect("samples");
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    // About 3 a second alone on 2 cores; other tests share them in CI.
    assert!(
        report.journeys.len() as i64 >= seconds / 4,
        "purchases kept going: {} in {seconds} s",
        report.journeys.len()
    );
    assert!(samples.iter().all(|s| s.rss_kib > 0), "memory was read");
    let most_pending = samples.iter().map(|s| s.pending).max().unwrap_or(0);
    assert!(
        most_pending < 50,
        "the queue kept up: at most {most_pending} jobs waited"
    );
    let growth = load::rss_growth_kib(&samples).expect("enough samples");
    let middle = samples[samples.len() / 2].rss_kib as i64;
    eprintln!(
        "soak: {} purchases, RSS {} KiB mid-run, growth {growth} KiB, jobs pending at most {most_pending}",
        report.journeys.len(),
        middle
    );
    assert!(
        growth * 100 <= middle * if long() { 5 } else { 20 },
        "memory kept growing: +{growth} KiB over {middle} KiB; samples: {samples:#?}"
    );
    settled(&db.pool).await;
    assert_eq!(sold(&db.pool).await, report.journeys.len() as i64);
    assert_reconciled(&db.pool).await;
}
