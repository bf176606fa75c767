//! Queue benchmark: enqueue and process jobs with real worker processes on a fresh database.
//!
//!     SQLX_OFFLINE=true cargo bench --bench queue
//!
//! Environment: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else
//! postgres://postgres@127.0.0.1:5432/postgres) names a database to create the benchmark's
//! own database from; BENCH_JOBS (20000) jobs per run; BENCH_WORKER_ENV extra `K=V,K=V`
//! settings for the worker processes (e.g. `JOB_BATCH_SIZE=100`).
//!
//! Prints markdown tables: bulk and single enqueue rates; end-to-end throughput (enqueue the
//! batch and run it to the last job) for trivial jobs and for jobs writing one row, with one
//! and two worker processes; enqueue→start latency on an idle queue.

mod common;

use std::time::{Duration, Instant};

use anyhow::Context;
use jobs::catalogue::{Probe, ProbeMode};
use sqlx::PgPool;

const CHUNK: usize = 5_000;
/// Jobs run before each measured run, not counted.
const WARM_UP: usize = 2_000;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Runtime::new()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let jobs = common::setting("BENCH_JOBS", 20_000);
    let db = common::BenchDb::create("bao_bench").await?;
    println!("{}\n", common::machine());
    let (pool, url) = (db.pool.clone(), db.url.clone());

    println!("## Enqueue ({jobs} jobs)\n");
    println!("| method | jobs/s |\n|---|---|");
    let started = Instant::now();
    enqueue_all(&pool, jobs, ProbeMode::Noop).await?;
    println!(
        "| bulk, {CHUNK} per statement | {:.0} |",
        rate(jobs, started.elapsed())
    );
    reset(&pool).await?;
    let single = jobs.min(5_000);
    let started = Instant::now();
    for _ in 0..single {
        jobs::enqueue(&pool, &probe(ProbeMode::Noop)).await?;
    }
    println!(
        "| one by one, each its own transaction | {:.0} |",
        rate(single, started.elapsed())
    );
    reset(&pool).await?;

    println!("\n## End to end: enqueue {jobs} jobs and run them all\n");
    println!("| job | worker processes | seconds | jobs/s |\n|---|---|---|---|");
    let mut costs = Vec::new();
    for (label, mode) in [
        ("trivial", ProbeMode::Noop),
        ("writes one row", ProbeMode::WriteRow),
    ] {
        for processes in [1, 2] {
            let workers = spawn_workers(&url, processes)?;
            wait_for_workers(&pool, processes).await?;
            // A running shop's workers have their connections open and their statements
            // prepared; a first round does that here, outside the measurement.
            enqueue_all(&pool, WARM_UP, mode.clone()).await?;
            wait_done(&pool, WARM_UP).await?;
            clear_jobs(&pool).await?;
            let before = common::Statements::snapshot(&pool).await;
            let started = Instant::now();
            enqueue_all(&pool, jobs, mode.clone()).await?;
            wait_done(&pool, jobs).await?;
            let took = started.elapsed();
            println!(
                "| {label} | {processes} | {:.2} | {:.0} |",
                took.as_secs_f64(),
                rate(jobs, took)
            );
            let cost = common::Statements::since(&pool, before, "job", jobs).await;
            costs.push(format!("{label}, {processes} process(es), {cost}"));
            drop(workers);
            reset(&pool).await?;
        }
    }

    println!("\n{}", costs.join("\n"));
    common::top_statements(&pool).await?;

    println!("\n## Enqueue → start on an idle queue (LISTEN/NOTIFY), one worker process\n");
    let workers = spawn_workers(&url, 1)?;
    wait_for_workers(&pool, 1).await?;
    let mut latencies = Vec::new();
    for _ in 0..200 {
        let id = jobs::enqueue(&pool, &probe(ProbeMode::Noop))
            .await?
            .context("new job")?;
        let latency = loop {
            let row: Option<f64> = sqlx::query_scalar(
                "SELECT EXTRACT(EPOCH FROM lock_at - run_at)::float8 * 1000 FROM apalis.jobs WHERE id = $1 AND status = 'Done'",
            )
            .bind(&id)
            .fetch_optional(&pool)
            .await?
            .flatten();
            if let Some(ms) = row {
                break ms;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        latencies.push(latency);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(workers);
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    println!("| samples | p50 ms | p99 ms | max ms |\n|---|---|---|---|");
    println!(
        "| {} | {:.1} | {:.1} | {:.1} |",
        latencies.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );

    db.drop().await?;
    Ok(())
}

fn probe(mode: ProbeMode) -> Probe {
    Probe {
        label: "bench".to_owned(),
        mode,
        key: None,
    }
}

fn rate(jobs: usize, took: Duration) -> f64 {
    jobs as f64 / took.as_secs_f64()
}

async fn enqueue_all(pool: &PgPool, jobs: usize, mode: ProbeMode) -> anyhow::Result<()> {
    let batch: Vec<Probe> = (0..CHUNK).map(|_| probe(mode.clone())).collect();
    let mut left = jobs;
    while left > 0 {
        let take = left.min(CHUNK);
        jobs::enqueue_bulk(pool, &batch[..take]).await?;
        left -= take;
    }
    Ok(())
}

/// No jobs and no workers: the state before a run.
async fn reset(pool: &PgPool) -> anyhow::Result<()> {
    clear_jobs(pool).await?;
    sqlx::raw_sql("DELETE FROM apalis.workers")
        .execute(pool)
        .await?;
    Ok(())
}

/// No jobs; the workers stay.
async fn clear_jobs(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::raw_sql("TRUNCATE apalis.jobs, probe_runs")
        .execute(pool)
        .await?;
    sqlx::raw_sql("VACUUM ANALYZE apalis.jobs")
        .execute(pool)
        .await?;
    Ok(())
}

/// Worker processes, each stopped with SIGTERM when dropped (also on an error path).
struct Workers(#[expect(dead_code, reason = "held for its Drop")] Vec<common::Process>);

fn spawn_workers(url: &str, processes: usize) -> anyhow::Result<Workers> {
    (0..processes)
        .map(|_| {
            common::shop_command(
                &["worker", "--queues", "diagnostic"],
                url,
                &[],
                "BENCH_WORKER_ENV",
            )
            .spawn()
            .map(common::Process)
            .context("spawn worker")
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .map(Workers)
}

async fn wait_for_workers(pool: &PgPool, processes: usize) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let live: i64 = sqlx::query_scalar(
            "SELECT count(DISTINCT substring(id from '-([0-9]+)-[a-z]+-[0-9]+-r[0-9]+$')) FROM apalis.workers",
        )
        .fetch_one(pool)
        .await?;
        if live >= processes as i64 {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "workers did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_done(pool: &PgPool, jobs: usize) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let unfinished: bool =
            // Through jobs_status_idx: a scan of the whole table every poll would take
            // PostgreSQL time from the workers being measured.
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM apalis.jobs WHERE job_type = 'diagnostic' AND status IN ('Pending', 'Queued', 'Running', 'Failed'))")
                .fetch_one(pool)
                .await?;
        if !unfinished {
            let done: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM apalis.jobs WHERE job_type = 'diagnostic'",
            )
            .fetch_one(pool)
            .await?;
            anyhow::ensure!(done == jobs as i64, "expected {jobs} jobs, found {done}");
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "jobs did not finish in time");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
