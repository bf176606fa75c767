//! Broadcast benchmark: one broadcast to BENCH_RECIPIENTS (100,000) customers at BENCH_RATE
//! (300) messages a second, with the real binary (`run`) on a fresh database and a stand-in
//! Bot API as strict as Telegram at that rate (every call over it answered 429). The shop is
//! killed with SIGKILL once BENCH_KILL_AT (30) percent are sent and started again.
//!
//!     SQLX_OFFLINE=true cargo bench --bench broadcast
//!
//! The broadcast is started in the database as the owner's ▶️ press starts it (the broadcast
//! running, one recipient row per customer, one `broadcast.send` job). Prints the rate held
//! before and after the kill, what the stand-in punished (429s, calls inside a retry_after),
//! duplicates, messages lost to the kill, and the shop's resident memory through the run.
//! BENCH_SHOP_ENV adds settings to the shop; database as in the other benchmarks.

mod common;
#[path = "common/standin.rs"]
mod standin;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use bot_auto_order::standin::load::rss_kib;
use bot_auto_order::standin::telegram::{StandinLimits, TelegramStandin};
use jobs::catalogue::BroadcastSend;
use sqlx::PgPool;
use workers::shop::ids::BroadcastId;

const TEXT: &str = "🎉 <b>Promo</b> hari ini!";
const OWNER: i64 = 777;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Runtime::new()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let recipients = common::setting("BENCH_RECIPIENTS", 100_000);
    let rate = common::setting("BENCH_RATE", 300).max(1);
    let kill_at = common::setting("BENCH_KILL_AT", 30).min(99);
    let db = common::BenchDb::create("bao_bench_broadcast").await?;
    println!("{}\n", common::machine());
    sqlx::query(
        "INSERT INTO users (telegram_id, first_name) SELECT 1000000 + n, 'C' || n FROM generate_series(1, $1) n",
    )
    .bind(i64::try_from(recipients)?)
    .execute(&db.pool)
    .await?;
    sqlx::raw_sql("VACUUM ANALYZE").execute(&db.pool).await?;
    let api = standin::standin().await?;
    api.set_limits(StandinLimits {
        bot_per_second: rate as f64,
        bot_burst: StandinLimits::default().bot_burst,
        ..StandinLimits::default()
    });
    let rate_text = rate.to_string();
    let env = [
        ("TELEGRAM_BOT_TOKEN", "123:BENCH"),
        ("TELEGRAM_API_URL", api.url.as_str()),
        ("BROADCAST_RATE", rate_text.as_str()),
        ("TELEGRAM_BOT_PER_SECOND", rate_text.as_str()),
        ("JOB_HEARTBEAT", "1s"),
        ("JOB_RESCUE_AFTER", "3s"),
    ];
    let mut shop = Shop::spawn(&db.url, &env)?;
    let started = start(&db.pool).await?;
    let mut memory = vec![Vec::new(), Vec::new()];
    let mut rates = vec![Vec::new(), Vec::new()];
    let kill_when = recipients * kill_at / 100;
    let mut last = (Instant::now(), 0);
    let mut killed = None;
    let deadline = Instant::now() + Duration::from_secs(7_200);
    loop {
        anyhow::ensure!(
            Instant::now() < deadline,
            "the broadcast did not finish in two hours"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (sent, done) = progress(&db.pool).await?;
        let life = usize::from(killed.is_some());
        if let Some(rss) = rss_kib(shop.pid()) {
            memory[life].push(rss);
        }
        let now = Instant::now();
        // Seconds fully inside one process's life: the rate it held.
        if sent > last.1 && last.1 > 0 {
            rates[life].push((sent - last.1) as f64 / now.duration_since(last.0).as_secs_f64());
        }
        last = (now, sent);
        if done {
            break;
        }
        if killed.is_none() && sent >= kill_when {
            shop.sigkill();
            killed = Some((started.elapsed(), sent));
            shop = Shop::spawn(&db.url, &env)?;
            last = (Instant::now(), 0);
        }
    }
    let took = started.elapsed();
    report(
        &db.pool, &api, recipients, rate, took, killed, &rates, &memory,
    )
    .await?;
    drop(shop);
    db.drop().await
}

/// Start the broadcast as the owner's press does; the moment it was started.
async fn start(pool: &PgPool) -> anyhow::Result<Instant> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO broadcasts (created_by, text, status, started_at) VALUES ($1, $2, 'running', now()) RETURNING id",
    )
    .bind(OWNER)
    .bind(TEXT)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO broadcast_recipients (broadcast_id, user_id) SELECT $1, id FROM users WHERE NOT is_blocked AND unreachable_at IS NULL",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    jobs::enqueue(
        &mut *tx,
        &BroadcastSend {
            broadcast_id: BroadcastId(id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Instant::now())
}

/// Recipients marked sent, and whether the broadcast is done.
async fn progress(pool: &PgPool) -> anyhow::Result<(usize, bool)> {
    let (sent, done): (i64, bool) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM broadcast_recipients WHERE status = 'sent'),
                EXISTS (SELECT 1 FROM broadcasts WHERE status = 'done')",
    )
    .fetch_one(pool)
    .await?;
    Ok((usize::try_from(sent)?, done))
}

#[allow(clippy::too_many_arguments)]
async fn report(
    pool: &PgPool,
    api: &TelegramStandin,
    recipients: usize,
    rate: usize,
    took: Duration,
    killed: Option<(Duration, usize)>,
    rates: &[Vec<f64>],
    memory: &[Vec<u64>],
) -> anyhow::Result<()> {
    let mut copies: HashMap<i64, usize> = HashMap::new();
    for call in api.calls_after(0) {
        if call.ok
            && call.method == "sendmessage"
            && call.text() == Some(TEXT)
            && let Some(chat) = call.chat_id
        {
            *copies.entry(chat).or_default() += 1;
        }
    }
    let duplicates = copies.values().filter(|n| **n > 1).count();
    let (sent, interrupted): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE error LIKE 'interrupted%') FROM broadcast_recipients",
    )
    .fetch_one(pool)
    .await?;
    let strict = api.strictness();
    println!(
        "## One broadcast to {recipients} customers at {rate} messages/s (`run`), SIGKILL once\n"
    );
    println!("| measure | value |\n|---|---|");
    println!(
        "| whole broadcast | {:.1} s ({:.0} messages/s overall) |",
        took.as_secs_f64(),
        recipients as f64 / took.as_secs_f64()
    );
    for (life, label) in ["before the kill", "after the restart"].iter().enumerate() {
        if let Some(seconds) = rates.get(life).filter(|r| !r.is_empty()) {
            let mut sorted = seconds.clone();
            sorted.sort_by(f64::total_cmp);
            let median = sorted[sorted.len() / 2];
            println!(
                "| rate held {label}, per second: median / max | {median:.0} / {:.0} messages/s |",
                sorted[sorted.len() - 1]
            );
        }
    }
    if let Some((at, sent_then)) = killed {
        println!(
            "| SIGKILL | at {:.1} s, {sent_then} sent |",
            at.as_secs_f64()
        );
    }
    println!(
        "| customers who got it / marked sent | {} / {sent} |",
        copies.len()
    );
    println!(
        "| lost to the kill (in flight, marked interrupted, not sent again) | {interrupted} |"
    );
    println!("| customers who got it twice | {duplicates} |");
    println!(
        "| stand-in: 429s for the rate / calls inside a retry_after | {} / {} |",
        strict.rate_limited.len(),
        strict.violations.len()
    );
    for (life, label) in ["first process", "second process"].iter().enumerate() {
        if let (Some(min), Some(max)) = (memory[life].iter().min(), memory[life].iter().max()) {
            println!(
                "| shop's resident memory, {label}: min / max | {:.1} / {:.1} MiB |",
                *min as f64 / 1024.0,
                *max as f64 / 1024.0
            );
        }
    }
    println!("\n{}", standin::strictness_line(api));
    Ok(())
}

/// The shop, stopped with SIGTERM when dropped.
struct Shop(common::Process);

impl Shop {
    fn spawn(url: &str, env: &[(&str, &str)]) -> anyhow::Result<Self> {
        let mut command = common::shop_command(&["run"], url, env, "BENCH_SHOP_ENV");
        Ok(Shop(common::Process(
            command.spawn().context("spawn the shop")?,
        )))
    }

    fn pid(&self) -> u32 {
        self.0.0.id()
    }

    fn sigkill(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &self.pid().to_string()])
            .status();
        let _ = self.0.0.wait();
    }
}
