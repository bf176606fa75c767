//! Connecting to PostgreSQL and bringing its schema up to date.
//!
//! Two migration sets run, in this order: apalis-postgres's own (schema `apalis`, history in
//! `apalis._sqlx_migrations`) and this project's `migrations/` (history in
//! `public._sqlx_migrations`). Both run on one connection holding a session advisory lock, so
//! replicas starting together migrate one after another and the later ones find nothing to do.

use std::time::Duration;

use anyhow::Context;
use apalis_postgres::PostgresStorage;
use secrecy::ExposeSecret;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool};

use crate::config::Settings;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Advisory lock key held while migrating ("bao-migr" in ASCII).
const MIGRATION_LOCK: i64 = 0x6261_6f2d_6d69_6772;

/// A pool for this process. Waits up to `wait` for the database to accept connections, so
/// replicas may start before PostgreSQL does.
pub async fn connect(settings: &Settings, wait: Duration) -> anyhow::Result<PgPool> {
    let options: PgConnectOptions = settings
        .database_url
        .expose_secret()
        .parse()
        .context("DATABASE_URL is not a valid PostgreSQL URL")?;
    // Random reads cost about what sequential ones do on SSDs. PostgreSQL's default (4) makes
    // apalis's acknowledgement query, which joins a JSON batch the planner guesses at 100 rows,
    // scan the whole jobs table on every acknowledgement instead of using its primary key.
    let options = options.options([("random_page_cost", "1.1")]);
    let pool_options = PgPoolOptions::new()
        .max_connections(settings.database_max_connections)
        .acquire_timeout(Duration::from_secs(5));
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match pool_options.clone().connect_with(options.clone()).await {
            Ok(pool) => return Ok(pool),
            Err(error) if tokio::time::Instant::now() < deadline => {
                tracing::warn!(%error, "database not reachable yet; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(error) => {
                return Err(error).context(
                    "cannot connect to the database at DATABASE_URL; is PostgreSQL running and the URL right?",
                );
            }
        }
    }
}

/// `url` with another database name (same server, user and options).
pub fn with_database(url: &str, database: &str) -> anyhow::Result<String> {
    let mut parsed = url::Url::parse(url).context("not a PostgreSQL URL")?;
    parsed.set_path(&format!("/{database}"));
    Ok(parsed.to_string())
}

/// Apply every pending migration (apalis's, then ours). Safe to run from many processes at once.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    let mut conn = pool
        .acquire()
        .await
        .context("cannot get a connection to migrate")?;
    sqlx::query!("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        .fetch_one(&mut *conn)
        .await
        .context("cannot take the migration lock")?;
    let result = apply(&mut conn).await;
    let unlock = sqlx::query!("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        .fetch_one(&mut *conn)
        .await;
    result?;
    unlock.context("cannot release the migration lock")?;
    Ok(())
}

async fn apply(conn: &mut PgConnection) -> anyhow::Result<()> {
    PostgresStorage::migrations()
        .run(&mut *conn)
        .await
        .context("applying apalis-postgres's queue migrations failed")?;
    MIGRATOR
        .run(&mut *conn)
        .await
        .context("applying the shop migrations in migrations/ failed")?;
    Ok(())
}

/// Whether the database has every migration this build knows (checked by `/ready`).
pub async fn migrations_applied(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let applied = sqlx::query_scalar!(
        r#"SELECT coalesce(max(version), 0) AS "version!" FROM _sqlx_migrations WHERE success"#
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(applied >= latest)
}
