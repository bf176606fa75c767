//! What the benchmarks share: a database of their own, made from BENCH_DATABASE_URL (else
//! TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrated, and
//! dropped at the end.

#![allow(dead_code, reason = "each bench uses its part of what they share")]

use anyhow::Context;
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

/// A migrated database for one benchmark run.
pub struct BenchDb {
    admin: PgConnection,
    pub name: String,
    pub url: String,
    pub pool: PgPool,
}

impl BenchDb {
    pub async fn create(prefix: &str) -> anyhow::Result<Self> {
        let admin_url = std::env::var("BENCH_DATABASE_URL")
            .or_else(|_| std::env::var("TEST_DATABASE_URL"))
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let name = format!("{prefix}_{}", std::process::id());
        // The same server and options (e.g. `?sslmode=disable`), another database.
        let (base, rest) = admin_url.rsplit_once('/').unwrap_or((&admin_url, ""));
        let query = rest.find('?').map_or("", |at| &rest[at..]);
        let url = format!("{base}/{name}{query}");
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .context("connect to the admin database")?;
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await?;
        let pool = PgPool::connect(&url).await?;
        bot_auto_order::db::migrate(&pool).await?;
        // Its view, for [`Statements`]; refused (and not needed) when the server lacks it.
        let _ = sqlx::raw_sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            .execute(&pool)
            .await;
        Ok(BenchDb {
            admin,
            name,
            url,
            pool,
        })
    }

    pub async fn drop(mut self) -> anyhow::Result<()> {
        self.pool.close().await;
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut self.admin)
        .await?;
        Ok(())
    }
}

/// A child process stopped with SIGTERM (and waited for) when dropped, also on an error path.
pub struct Process(pub std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

/// The shop's binary with `args`, on database `url`, logging warnings to a temporary folder,
/// its own periodic jobs out of the way, with `env`; `K=V` pairs from the environment variable
/// `extra` (separated by `;` or `,`) are added last so a run can override any setting.
pub fn shop_command(
    args: &[&str],
    url: &str,
    env: &[(&str, &str)],
    extra: &str,
) -> std::process::Command {
    let dir = std::env::temp_dir().join(format!("bao-bench-{}", std::process::id()));
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_bot-auto-order"));
    command
        .args(args)
        .current_dir(std::env::temp_dir())
        .env("DATABASE_URL", url)
        .env("LOG_DIR", &dir)
        .env("RUST_LOG", "warn")
        .env("MAINTENANCE_EVERY", "1h")
        .env("TELEMETRY_FLUSH_EVERY", "1h")
        // Every process on a free port: several on one host never fight over the default.
        .env("HTTP_BIND", "127.0.0.1:0")
        .envs(UNPACED)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .envs(env.iter().copied());
    let extra = std::env::var(extra).unwrap_or_default();
    for pair in extra.split([';', ',']).filter(|p| !p.is_empty()) {
        if let Some((key, value)) = pair.split_once('=') {
            command.env(key.trim(), value.trim());
        }
    }
    command
}

/// The benches measure the pipelines, not Telegram's limits: thousands of replies a second
/// to a few hundred chats is more than Telegram lets a bot send (about 30/s, 1,000/s with paid
/// broadcasts), so the shop's pacing and the stand-in's limits are both lifted far above
/// what the benches reach. Flood control and unchanged edits stay as strict as ever.
pub const UNPACED: [(&str, &str); 4] = [
    ("TELEGRAM_PRIVATE_PER_SECOND", "100000"),
    ("TELEGRAM_PRIVATE_BURST", "100000"),
    ("TELEGRAM_GROUP_PER_MINUTE", "100000"),
    ("TELEGRAM_BOT_PER_SECOND", "100000"),
];

/// One line about this machine: CPU model, cores and memory, for the tables in the README.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "Machine: {model}, {cores} cores, {memory_gib:.0} GiB; PostgreSQL, the shop, both stand-ins and the load generator all on it."
    )
}

/// A whole number from the environment variable `name`, or `default`.
pub fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What PostgreSQL ran for one bench database between two snapshots, from pg_stat_statements
/// (counted as each statement ends, so a snapshot right after a run is complete): the
/// statements clients sent, not those run inside them by triggers, functions and key checks. Without the
/// extension loaded on the server (`deploy/bench-postgres.sh` starts one that has it) the
/// bench says so instead of printing numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Statements {
    /// Every statement but BEGIN, COMMIT and ROLLBACK.
    pub statements: f64,
    /// Explicit transactions (COMMIT or ROLLBACK).
    pub transactions: f64,
    /// Time PostgreSQL spent executing them.
    pub milliseconds: f64,
}

impl Statements {
    /// A snapshot, or why there is none.
    pub async fn snapshot(pool: &PgPool) -> Result<Statements, String> {
        let row: Result<(f64, f64, f64), sqlx::Error> = sqlx::query_as(
            r#"
            SELECT
                coalesce(sum(calls) FILTER (WHERE query !~* '^\s*(BEGIN|COMMIT|ROLLBACK)'), 0)::float8,
                coalesce(sum(calls) FILTER (WHERE query ~* '^\s*(COMMIT|ROLLBACK)'), 0)::float8,
                coalesce(sum(total_exec_time), 0)::float8
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel
            "#,
        )
        .fetch_one(pool)
        .await;
        match row {
            Ok((statements, transactions, milliseconds)) => Ok(Statements {
                statements,
                transactions,
                milliseconds,
            }),
            Err(_) => Err(
                "statements per run: not measured (start PostgreSQL with \
                 shared_preload_libraries=pg_stat_statements, e.g. BENCH_DATABASE_URL=\"$(deploy/bench-postgres.sh)\")"
                    .to_owned(),
            ),
        }
    }

    /// "per update: 12.0 statements, 3.0 explicit transactions, 1.20 ms executing in
    /// PostgreSQL" since `before`, or why that is not known.
    pub async fn since(
        pool: &PgPool,
        before: Result<Statements, String>,
        what: &str,
        count: usize,
    ) -> String {
        let (before, after) = match (before, Statements::snapshot(pool).await) {
            (Ok(before), Ok(after)) => (before, after),
            (Err(why), _) | (_, Err(why)) => return why,
        };
        let n = count.max(1) as f64;
        format!(
            "per {what}: {:.2} statements, {:.2} explicit transactions, {:.3} ms executing in PostgreSQL",
            (after.statements - before.statements) / n,
            (after.transactions - before.transactions) / n,
            (after.milliseconds - before.milliseconds) / n
        )
    }
}

/// With BENCH_TOP=N, the N statements of this database that took PostgreSQL the most time
/// (a statement's time includes the statements it ran), to see where a run's time went.
pub async fn top_statements(pool: &PgPool) -> anyhow::Result<()> {
    let top = setting("BENCH_TOP", 0);
    if top == 0 {
        return Ok(());
    }
    let rows: Vec<(i64, f64, String)> = sqlx::query_as(
        r#"
        SELECT calls, total_exec_time, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
        FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel
        ORDER BY total_exec_time DESC LIMIT $1
        "#,
    )
    .bind(top as i64)
    .fetch_all(pool)
    .await?;
    println!("\n| calls | ms | statement |\n|---|---|---|");
    for (calls, ms, query) in rows {
        println!("| {calls} | {ms:.0} | `{query}` |");
    }
    Ok(())
}

/// Wait (up to a minute) until no job is due or running, so a run's follow-up jobs are counted
/// with it.
pub async fn settled(pool: &PgPool) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let busy: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM apalis.jobs WHERE status IN ('Pending', 'Queued', 'Running') AND run_at <= now()",
        )
        .fetch_one(pool)
        .await?;
        if busy == 0 {
            return Ok(());
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "{busy} jobs still due or running a minute after the run"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
