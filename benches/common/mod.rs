//! What the benchmarks share: a database of their own, made from BENCH_DATABASE_URL (else
//! TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrated, and
//! dropped at the end.

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
