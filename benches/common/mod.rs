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
