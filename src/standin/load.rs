//! The load generator: many shoppers (`shopper::Shopper`) buying through the stand-ins at once,
//! with throughput and per-step latency percentiles; and, for soak runs, samples of a shop
//! process's memory and of the job queue's depth.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sqlx::PgPool;
use tokio::sync::Mutex;

use super::pakasir::PakasirStandin;
use super::shopper::{Journey, Shopper, Step};
use super::telegram::TelegramStandin;

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Customers at most (chats `first_chat`, `first_chat + 1`, …), each buying once.
    pub customers: usize,
    /// Customers shopping at the same time.
    pub concurrency: usize,
    pub first_chat: i64,
    /// The product everyone buys, and a text its contents contain.
    pub product: Listing,
    pub marker: String,
    /// How long one step may take before the journey counts as failed.
    pub step_timeout: Duration,
    /// Start no journey after this moment (a soak run ends by time, not by count).
    pub until: Option<Instant>,
}

/// What happened.
#[derive(Debug, Default)]
pub struct Report {
    pub journeys: Vec<Journey>,
    pub failures: Vec<String>,
    pub elapsed: Duration,
}

impl Report {
    /// Completed purchases per second.
    pub fn throughput(&self) -> f64 {
        self.journeys.len() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// The `p` quantile (0–1) of `step`'s time, or of whole journeys when `None`.
    pub fn percentile(&self, step: Option<Step>, p: f64) -> Option<Duration> {
        let mut times: Vec<Duration> = match step {
            Some(step) => self
                .journeys
                .iter()
                .flat_map(|j| j.steps.iter().filter(|(s, _)| *s == step).map(|(_, t)| *t))
                .collect(),
            None => self.journeys.iter().map(|j| j.total).collect(),
        };
        if times.is_empty() {
            return None;
        }
        times.sort();
        let index = ((times.len() - 1) as f64 * p.clamp(0.0, 1.0)).round() as usize;
        times.get(index).copied()
    }

    /// A Markdown table: p50, p95, p99 and max per step and for whole journeys, in ms.
    pub fn table(&self) -> String {
        let ms = |d: Option<Duration>| {
            d.map_or_else(
                || "–".to_owned(),
                |d| format!("{:.0}", d.as_secs_f64() * 1e3),
            )
        };
        let mut out =
            String::from("| step | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
        let rows = Step::ALL
            .iter()
            .map(|s| (s.name(), Some(*s)))
            .chain([("whole journey", None)]);
        for (name, step) in rows {
            out.push_str(&format!(
                "| {name} | {} | {} | {} | {} |\n",
                ms(self.percentile(step, 0.5)),
                ms(self.percentile(step, 0.95)),
                ms(self.percentile(step, 0.99)),
                ms(self.percentile(step, 1.0)),
            ));
        }
        out
    }
}

/// What every shopper's contents contain (`Plan::marker` for a product from `seed_product`).
pub const MARKER: &str = "LOAD-CODE-";

/// A product as a shopper presses it: the product's screen, then its variant's quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    pub product: i64,
    pub variant: i64,
}

/// A product of one variant for the load with `stock` contents (`LOAD-CODE-<n>`).
pub async fn seed_product(pool: &PgPool, stock: i64) -> Result<Listing, sqlx::Error> {
    let listing = sqlx::query!(
        r#"WITH p AS (
               INSERT INTO products (code, name, description)
               VALUES ('LOAD', 'Load test voucher', 'Bought by the load generator') RETURNING id
           )
           INSERT INTO product_variants (product_id, code, name, price)
           SELECT id, 'LOAD', 'Load test voucher', 10000 FROM p
           RETURNING product_id, id"#
    )
    .fetch_one(pool)
    .await?;
    sqlx::query!(
        "INSERT INTO product_contents (variant_id, content)
         SELECT $1, $2 || n FROM generate_series(1, $3::bigint) n",
        listing.id,
        MARKER,
        stock
    )
    .execute(pool)
    .await?;
    Ok(Listing {
        product: listing.product_id,
        variant: listing.id,
    })
}

/// Run `plan`: `concurrency` customers at a time, each a whole purchase.
pub async fn run(api: &TelegramStandin, pakasir: &PakasirStandin, plan: &Plan) -> Report {
    let next = Arc::new(AtomicUsize::new(0));
    let report = Arc::new(Mutex::new(Report::default()));
    let began = Instant::now();
    let mut lanes = Vec::new();
    for _ in 0..plan.concurrency.max(1) {
        let (api, pakasir, plan) = (api.clone(), pakasir.clone(), plan.clone());
        let (next, report) = (next.clone(), report.clone());
        lanes.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= plan.customers || plan.until.is_some_and(|until| Instant::now() >= until) {
                    return;
                }
                let chat = plan.first_chat + n as i64;
                let mut shopper = Shopper::new(&api, &pakasir, chat);
                let outcome = shopper
                    .buy(plan.product, &plan.marker, plan.step_timeout)
                    .await;
                let mut report = report.lock().await;
                match outcome {
                    Ok(journey) => report.journeys.push(journey),
                    Err(error) => report.failures.push(error.to_string()),
                }
            }
        }));
    }
    for lane in lanes {
        if let Err(error) = lane.await {
            report
                .lock()
                .await
                .failures
                .push(format!("a shopper task ended abnormally: {error}"));
        }
    }
    let mut report = std::mem::take(&mut *report.lock().await);
    report.elapsed = began.elapsed();
    report
}

/// One reading of a shop process and its queue.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Since sampling began.
    pub at: Duration,
    /// Resident memory of the process, KiB (0 when it could not be read).
    pub rss_kib: u64,
    /// Jobs due and waiting for a worker, and jobs being worked on.
    pub pending: i64,
    pub running: i64,
    /// Telegram messages waiting to be sent.
    pub outbox: i64,
}

/// Resident memory of process `pid` in KiB, from /proc (Linux).
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Read process `pid`'s memory and the queue's depth in `pool`'s database.
pub async fn sample(pid: u32, pool: &PgPool, since: Instant) -> Result<Sample, sqlx::Error> {
    let queue = sqlx::query!(
        r#"SELECT
             count(*) FILTER (WHERE status = 'Pending' AND run_at <= now()) AS "pending!",
             count(*) FILTER (WHERE status IN ('Queued', 'Running')) AS "running!",
             (SELECT count(*) FROM telegram_outbox WHERE status = 'pending') AS "outbox!"
           FROM apalis.jobs WHERE status IN ('Pending', 'Queued', 'Running')"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Sample {
        at: since.elapsed(),
        rss_kib: rss_kib(pid).unwrap_or(0),
        pending: queue.pending,
        running: queue.running,
        outbox: queue.outbox,
    })
}

/// Sample every `every` until `until`.
pub async fn sample_until(
    pid: u32,
    pool: &PgPool,
    every: Duration,
    until: Instant,
) -> Result<Vec<Sample>, sqlx::Error> {
    let since = Instant::now();
    let mut samples = Vec::new();
    let mut tick = tokio::time::interval(every);
    while Instant::now() < until {
        tick.tick().await;
        samples.push(sample(pid, pool, since).await?);
    }
    Ok(samples)
}

/// Memory growth over a soak: the median RSS of the last third of `samples` against the
/// median of the middle third (the first third is warm-up), in KiB; None with too few samples.
pub fn rss_growth_kib(samples: &[Sample]) -> Option<i64> {
    if samples.len() < 6 {
        return None;
    }
    let third = samples.len() / 3;
    let median = |part: &[Sample]| {
        let mut rss: Vec<u64> = part.iter().map(|s| s.rss_kib).collect();
        rss.sort_unstable();
        rss[rss.len() / 2] as i64
    };
    Some(median(&samples[samples.len() - third..]) - median(&samples[third..2 * third]))
}
