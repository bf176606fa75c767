//! Mass expiry benchmark: BENCH_ORDERS (100,000) unpaid orders whose invoices all fall due at
//! the same moment, with the real binary (`run`) and both stand-ins on a fresh database. Each
//! `order.close` asks Pakasir once whether the order was paid after all, closes the order,
//! releases its reserved content, tells the customer and leaves a `payment.cancel_at_gateway`
//! job for Pakasir.
//!
//!     SQLX_OFFLINE=true cargo bench --bench expiry
//!
//! The orders are prepared in the database and their `order.close` jobs scheduled for one
//! instant a few seconds ahead, as checkout schedules them (`enqueue_at` the invoice's
//! expiry). Prints, from that instant: when every order was closed with its content released,
//! when every customer had been told, and when Pakasir had been told of every one; what
//! PostgreSQL ran per order; the shop's memory. BENCH_SHOP_ENV adds settings to the shop;
//! database as in the other benchmarks (BENCH_DATABASE_URL).

mod common;
#[path = "common/orders.rs"]
mod orders;
#[path = "common/qris_shop.rs"]
mod qris_shop;
#[path = "common/standin.rs"]
mod standin;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use bot_auto_order::standin::pakasir::PakasirStandin;
use jobs::catalogue::{CloseOrder, CloseReason};
use qris_shop::QrisShop;
use sqlx::PgPool;
use workers::shop::ids::OrderId;

const CHUNK: usize = 5_000;
/// From the end of scheduling to the moment every invoice falls due.
const LEAD: Duration = Duration::from_secs(3);

fn main() -> anyhow::Result<()> {
    tokio::runtime::Runtime::new()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let count = common::setting("BENCH_ORDERS", 100_000);
    let db = common::BenchDb::create("bao_bench_expiry").await?;
    println!("{}\n", common::machine());
    let api = standin::standin().await?;
    let pakasir = PakasirStandin::start("bench", "bench-key").await?;
    let prepared = Instant::now();
    let orders = orders::prepare(&db.pool, &pakasir, count, 3_600.0).await?;
    let chats: HashSet<i64> = orders.iter().map(|(chat, _, _)| *chat).collect();
    println!(
        "Prepared {count} orders awaiting payment in {:.1} s.\n",
        prepared.elapsed().as_secs_f64()
    );
    let shop = QrisShop::start(&db.url, &api, &pakasir, &[]).await?;
    let seen = api.calls_after(0).len();
    let before = common::Statements::snapshot(&db.pool).await;
    let due = schedule(&db.pool, &orders).await?;
    tokio::time::sleep_until(due.into()).await;

    let deadline = due + Duration::from_secs(1_800);
    let mut told = HashSet::new();
    let mut calls_seen = seen;
    let (mut closed_at, mut told_at) = (None, None);
    while closed_at.is_none() || told_at.is_none() {
        anyhow::ensure!(
            Instant::now() < deadline,
            "not finished 30 minutes after the invoices fell due"
        );
        if closed_at.is_none() && open_orders(&db.pool).await? == 0 {
            closed_at = Some(due.elapsed());
        }
        let calls = api.calls_after(calls_seen);
        calls_seen += calls.len();
        told.extend(
            calls
                .iter()
                .filter(|call| call.ok && call.method == "sendmessage")
                .filter_map(|call| call.chat_id)
                .filter(|chat| chats.contains(chat)),
        );
        if told_at.is_none() && told.len() == chats.len() {
            told_at = Some(due.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    common::settled(&db.pool).await?;
    let gateway_at = due.elapsed();
    let cost = common::Statements::since(&db.pool, before, "order", count).await;
    let still_pending = pakasir
        .transactions()
        .iter()
        .filter(|(_, t)| t.status == "pending")
        .count();
    let reserved: i64 =
        sqlx::query_scalar("SELECT count(*) FROM product_contents WHERE state = 'reserved'")
            .fetch_one(&db.pool)
            .await?;

    println!(
        "## {count} invoices due at the same moment (`run`: ingress and workers in one process)\n"
    );
    println!("| from the moment they fell due | seconds | orders/s |\n|---|---|---|");
    let row = |what: &str, took: Duration| {
        println!(
            "| {what} | {:.1} | {:.0} |",
            took.as_secs_f64(),
            count as f64 / took.as_secs_f64().max(0.001)
        );
    };
    if let (Some(closed), Some(told)) = (closed_at, told_at) {
        row("every order closed, its content released", closed);
        row("every customer told", told);
    }
    row("every job done (Pakasir told of each)", gateway_at);
    println!(
        "\nLeft after the run: {reserved} contents still reserved, {still_pending} transactions still pending at Pakasir."
    );
    println!("\n{cost}");
    shop.finish(&api, db).await
}

/// Schedule every order's `order.close` for one instant, as checkout does at the invoice's
/// expiry, in one transaction so no job is seen before all are; returns that instant.
async fn schedule(pool: &PgPool, orders: &[(i64, String, i64)]) -> anyhow::Result<Instant> {
    let jobs: Vec<CloseOrder> = orders
        .iter()
        .map(|(_, _, id)| CloseOrder {
            order_id: OrderId(*id),
            reason: CloseReason::Expired,
        })
        .collect();
    let mut tx = pool.begin().await?;
    for chunk in jobs.chunks(CHUNK) {
        jobs::enqueue_bulk(&mut *tx, chunk).await?;
    }
    let started = Instant::now();
    let lead = LEAD.as_secs_f64();
    sqlx::query(
        "UPDATE apalis.jobs SET run_at = clock_timestamp() + make_interval(secs => $1) WHERE job_type = 'payments' AND status = 'Pending'",
    )
    .bind(lead)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE orders SET expires_at = clock_timestamp() + make_interval(secs => $1)")
        .bind(lead)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(started + LEAD)
}

async fn open_orders(pool: &PgPool) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = 'awaiting_payment'")
            .fetch_one(pool)
            .await?,
    )
}
