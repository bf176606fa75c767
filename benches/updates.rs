//! Updates benchmark: Telegram updates through the whole shop — the stand-in Bot API's
//! getUpdates → the long poller → `telegram.update` job → conversation engine → reply batch →
//! `telegram.send` job → sendMessage at the stand-in — with the real binary (`run`) on a fresh
//! database.
//!
//!     SQLX_OFFLINE=true cargo bench --bench updates
//!
//! Environment: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else
//! postgres://postgres@127.0.0.1:5432/postgres); BENCH_UPDATES (5000) updates in the burst;
//! BENCH_CHATS (500) chats they come from; BENCH_RATE (200) updates/s in the paced run;
//! BENCH_TEXT one text for every update (default: /start and three menus in turn);
//! BENCH_SHOP_ENV extra `K=V,K=V` settings for the shop process; BENCH_KEEP_DB keeps the
//! database for a look at where the time went; BENCH_DB_QUERY is appended to the shop's
//! DATABASE_URL (e.g. `?options=-c%20session_preload_libraries%3Dauto_explain` to log plans).
//!
//! Latency is from the moment an update is offered to getUpdates to the moment its reply
//! reaches the stand-in. A chat's replies come in its updates' order, so the n-th reply in a
//! chat answers the chat's n-th update.

mod common;
#[path = "common/standin.rs"]
mod standin;

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use anyhow::Context;
use bot_auto_order::standin::telegram::TelegramStandin;
use serde_json::json;
use sqlx::PgPool;

const MENUS: [&str; 4] = ["/start", "🛍 Semua Produk", "🏷 Cek Stok", "ℹ️ Informasi"];

fn main() -> anyhow::Result<()> {
    tokio::runtime::Runtime::new()?.block_on(run())
}

/// The n-th update's text: BENCH_TEXT, or the menus in turn.
fn text(n: usize) -> String {
    std::env::var("BENCH_TEXT").unwrap_or_else(|_| MENUS[n % MENUS.len()].to_owned())
}

async fn run() -> anyhow::Result<()> {
    let updates = common::setting("BENCH_UPDATES", 5_000);
    let chats = common::setting("BENCH_CHATS", 500).max(1) as i64;
    let rate = common::setting("BENCH_RATE", 200).max(1);
    let db = common::BenchDb::create("bao_bench_updates").await?;
    println!("{}\n", common::machine());
    let (pool, url) = (db.pool.clone(), db.url.clone());
    seed(&pool).await?;

    let api = standin::standin().await?;
    let shop = Shop::spawn(&url, &api)?;
    let mut bench = Bench {
        api,
        pushed: HashMap::new(),
        seen: 0,
        latencies: Vec::new(),
    };
    // Warm up like a shop that has been running: customers known, statistics gathered
    // (autovacuum analyzes a busy table within a minute; a fresh one has none).
    let warm = chats as usize * 4;
    for n in 0..warm {
        bench.push(1 + (n as i64 % chats), &text(n));
    }
    bench.collect(warm, Duration::from_secs(600)).await?;
    bench.latencies.clear();
    sqlx::raw_sql("VACUUM ANALYZE").execute(&pool).await?;

    println!("## Telegram updates end to end (`run`: poller + workers in one process)\n");
    println!("| run | updates | chats | seconds | updates/s | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|---|");
    let before = common::Statements::snapshot(&pool).await;
    let started = Instant::now();
    for n in 0..updates {
        bench.push(1 + (n as i64 % chats), &text(n));
    }
    bench.collect(updates, Duration::from_secs(600)).await?;
    bench.report("burst", updates, chats, started.elapsed());
    let cost = common::Statements::since(&pool, before, "update", updates).await;

    let paced = rate * 10;
    let started = Instant::now();
    for n in 0..paced {
        let due = started + Duration::from_secs_f64(n as f64 / rate as f64);
        tokio::time::sleep_until(due.into()).await;
        bench.push(100_000 + (n as i64 % chats), &text(n));
        bench.drain();
    }
    bench.collect(paced, Duration::from_secs(120)).await?;
    bench.report(&format!("paced, {rate}/s"), paced, chats, started.elapsed());

    println!("\nBurst, {cost}");
    println!("\n{}", standin::strictness_line(&bench.api));
    common::top_statements(&pool).await?;
    drop(shop);
    if std::env::var_os("BENCH_KEEP_DB").is_some() {
        println!("\nkept database {}", db.name);
        return Ok(());
    }
    db.drop().await?;
    Ok(())
}

/// A small catalog for the menus to read.
async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::raw_sql(
        r#"
        INSERT INTO categories (name, emoji) VALUES ('Streaming', '🎬'), ('Music', '🎵'), ('Tools', '🛠');
        INSERT INTO products (code, name, category_id)
            SELECT 'P' || n, 'Product ' || n, 1 + n % 3 FROM generate_series(1, 30) n;
        INSERT INTO product_variants (id, product_id, code, name, price)
            SELECT id, id, code, name, 10000 + id * 1000 FROM products;
        INSERT INTO product_contents (variant_id, content)
            SELECT v.id, 'code-' || v.id || '-' || c FROM product_variants v, generate_series(1, 20) c;
        "#,
    )
    .execute(pool)
    .await?;
    Ok(())
}

struct Bench {
    api: TelegramStandin,
    /// Per chat, when each of its unanswered updates was offered.
    pushed: HashMap<i64, VecDeque<Instant>>,
    seen: usize,
    latencies: Vec<f64>,
}

impl Bench {
    fn push(&mut self, chat: i64, text: &str) {
        self.pushed
            .entry(chat)
            .or_default()
            .push_back(Instant::now());
        self.api.push_update(json!({ "message": {
            "message_id": 1, "date": 1_700_000_000,
            "chat": { "id": chat, "type": "private", "first_name": "Bench" },
            "from": { "id": chat, "is_bot": false, "first_name": "Bench", "language_code": "id" },
            "text": text,
        }}));
    }

    /// Match the replies recorded since the last call to their updates.
    fn drain(&mut self) {
        let calls = self.api.calls_after(self.seen);
        self.seen += calls.len();
        for call in calls {
            if !(call.ok && call.method == "sendmessage") {
                continue;
            }
            let Some(chat) = call.chat_id else { continue };
            if let Some(at) = self.pushed.get_mut(&chat).and_then(VecDeque::pop_front) {
                self.latencies
                    .push(call.at.saturating_duration_since(at).as_secs_f64() * 1000.0);
            }
        }
    }

    /// Wait until `count` replies have been matched since the latencies were last cleared.
    async fn collect(&mut self, count: usize, within: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + within;
        loop {
            self.drain();
            if self.latencies.len() >= count {
                return Ok(());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "only {} of {count} replies arrived",
                self.latencies.len()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    fn report(&mut self, run: &str, updates: usize, chats: i64, took: Duration) {
        let mut latencies = std::mem::take(&mut self.latencies);
        latencies.sort_by(f64::total_cmp);
        let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "| {run} | {updates} | {} | {:.2} | {:.0} | {:.1} | {:.1} | {:.1} |",
            chats.min(updates as i64),
            took.as_secs_f64(),
            updates as f64 / took.as_secs_f64(),
            pct(0.5),
            pct(0.99),
            pct(1.0)
        );
    }
}

/// The shop process, stopped with SIGTERM when dropped (also on an error path).
struct Shop {
    _process: common::Process,
}

impl Shop {
    fn spawn(url: &str, api: &TelegramStandin) -> anyhow::Result<Self> {
        let url = format!(
            "{url}{}",
            std::env::var("BENCH_DB_QUERY").unwrap_or_default()
        );
        let env = [
            ("TELEGRAM_BOT_TOKEN", "123:BENCH"),
            ("TELEGRAM_API_URL", api.url.as_str()),
            ("SPAM_MAX_ACTIONS", "1000000"),
        ];
        let mut command = common::shop_command(&["run"], &url, &env, "BENCH_SHOP_ENV");
        Ok(Shop {
            _process: common::Process(command.spawn().context("spawn the shop")?),
        })
    }
}
