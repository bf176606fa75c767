//! Fresh databases, the real binary as a child process, and waiting on conditions.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

pub const BIN: &str = env!("CARGO_BIN_EXE_bot-auto-order");

pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// `admin_url` with another database name.
pub fn url_of(database: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{database}")
}

/// A migrated template, made once per test process.
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            runtime.block_on(async {
                let name = format!("bao_tpl_{}", std::process::id());
                let mut admin = PgConnection::connect(&admin_url())
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                drop_stale_databases(&mut admin).await;
                sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create template");
                let pool = PgPool::connect(&url_of(&name))
                    .await
                    .expect("connect template");
                bot_auto_order::db::migrate(&pool)
                    .await
                    .expect("migrate template");
                pool.close().await;
                name
            })
        })
        .join()
        .expect("template thread")
    })
}

/// Remove databases left by earlier test runs whose process is gone.
async fn drop_stale_databases(admin: &mut PgConnection) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname ~ '^bao_(tpl|test)_[0-9]+'",
    )
    .fetch_all(&mut *admin)
    .await
    .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).unwrap_or("0");
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut *admin)
            .await;
        }
    }
}

/// A fresh, migrated database of this test's own.
pub struct TestDb {
    pub name: String,
    pub url: String,
    pub pool: PgPool,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    /// The one number `sql` selects (a count, mostly).
    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The one number `sql` selects for `id` (its `$1`).
    pub async fn scalar_for(&self, sql: &str, id: i64) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Wait (up to `within`) until `sql` selects `expected`; `what` names it in a timeout.
    pub async fn until(&self, what: &str, within: Duration, sql: &str, expected: i64) {
        eventually(what, within, || async {
            (self.scalar(sql).await == expected).then_some(())
        })
        .await;
    }

    pub async fn new() -> Self {
        Self::create(&format!("TEMPLATE {}", template())).await
    }

    /// A database with nothing in it, not even the migrations (to migrate step by step).
    pub async fn empty() -> Self {
        Self::create("").await
    }

    async fn create(options: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "bao_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = PgConnection::connect(&admin_url())
            .await
            .expect("connect admin");
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name} {options}")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let url = url_of(&name);
        let pool = PgPool::connect(&url).await.expect("connect test database");
        TestDb {
            name,
            url,
            pool,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Drop this database while clients are connected (they are disconnected).
    pub async fn drop_database(&self) {
        let mut admin = PgConnection::connect(&admin_url())
            .await
            .expect("connect admin");
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .expect("drop database");
    }

    pub fn log_dir(&self) -> PathBuf {
        self.dir.path().join("logs")
    }

    /// Start the binary against this database with test-friendly timings; `env` overrides.
    pub fn spawn(&self, args: &[&str], env: &[(&str, &str)]) -> Proc {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let output = self.dir.path().join(format!("process-{n}.log"));
        let mut command = self.command(args);
        command.envs(env.iter().copied());
        let file = std::fs::File::create(&output).expect("process log");
        let child = command
            .stdout(file.try_clone().expect("clone log"))
            .stderr(file)
            .stdin(Stdio::null())
            .spawn()
            .expect("spawn bot-auto-order");
        Proc {
            child,
            output,
            exited: None,
        }
    }

    /// The binary, run to completion; returns (success, stdout, stderr).
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
        let output = self
            .command(args)
            .envs(env.iter().copied())
            .output()
            .expect("run bot-auto-order");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &self.url)
            .env("LOG_DIR", self.log_dir())
            .env("HTTP_BIND", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .env("JOB_HEARTBEAT", "1s")
            .env("JOB_RESCUE_AFTER", "3s")
            .env("JOB_POLL_INTERVAL", "200ms")
            .env("JOB_BACKOFF_BASE", "200ms")
            .env("JOB_BACKOFF_MAX", "2s")
            .env("MAINTENANCE_EVERY", "1h")
            .env("TELEMETRY_FLUSH_EVERY", "1h")
            .env("SHUTDOWN_GRACE", "10s");
        command
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().ok()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url()).await.ok()?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .ok()
            })
        })
        .join();
    }
}

/// A running `bot-auto-order` process; killed when dropped.
pub struct Proc {
    child: Child,
    output: PathBuf,
    exited: Option<ExitStatus>,
}

impl Proc {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What it printed so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.output).unwrap_or_default()
    }

    pub fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
    }

    pub fn sigkill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.exited = Some(self.child.wait().expect("reap"));
    }

    /// Wait for the process to exit by itself.
    pub async fn exit_status(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.exited = Some(status);
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "process did not exit within {within:?}; output:\n{}",
                self.output()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let output = self.output();
            let tail: String = output
                .chars()
                .rev()
                .take(4000)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            eprintln!(
                "--- output of bot-auto-order (pid {}) ---\n{tail}",
                self.pid()
            );
        }
        if self.exited.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Poll `check` until it returns `Some`, failing the test with `what` after `within`.
pub async fn eventually<T, F, Fut>(what: &str, within: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {within:?} waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The job's admin state (`job_state`), or None if it does not exist.
pub async fn job_state(pool: &PgPool, id: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT job_state(status, run_at, attempts, max_attempts) FROM apalis.jobs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .expect("read job state")
}

/// Wait until job `id` reaches `state`.
pub async fn wait_for_state(pool: &PgPool, id: &str, state: &str, within: Duration) {
    let what = format!("job {id} to be {state}");
    eventually(&what, within, || async {
        (job_state(pool, id).await.as_deref() == Some(state)).then_some(())
    })
    .await;
}

/// Wait until some worker of `queue` has registered and beats.
pub async fn wait_for_workers(pool: &PgPool, queue: &str, count: i64) {
    eventually(&format!("{count} worker(s) on {queue}"), Duration::from_secs(20), || async {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM apalis.workers WHERE worker_type = $1 AND last_seen > now() - interval '3 seconds'",
        )
        .bind(queue)
        .fetch_one(pool)
        .await
        .expect("count workers");
        (n >= count).then_some(())
    })
    .await;
}

/// Whether to run the long versions of the proof suites (chaos, load, soak): BAO_LONG_TESTS=1.
pub fn long() -> bool {
    std::env::var("BAO_LONG_TESTS").is_ok_and(|v| v == "1")
}
