//! `bot-auto-order store new NAME`: one more shop on this host — its own database (created
//! and migrated on the same PostgreSQL server), and a directory `stores/NAME/` with its `.env`
//! (fresh secrets, its own port, logs and backups) and a compose file for its ingress and
//! worker. `store list` shows the shops provisioned here.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rand::Rng;
use secrecy::ExposeSecret;
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

use crate::config::Settings;

/// Where a new shop's files go, and how it is reached.
pub struct NewStore {
    pub name: String,
    pub dir: PathBuf,
    pub port: u16,
    /// A database URL on the server to create the shop's database from (any database there).
    pub admin_url: Option<String>,
}

fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

fn secret() -> String {
    let bytes: [u8; 24] = rand::rng().random();
    hex::encode(bytes)
}

/// `url` with its database replaced by `database`.
pub async fn new(settings: &Settings, store: NewStore) -> anyhow::Result<PathBuf> {
    if !valid_name(&store.name) {
        bail!(
            "a store name is 1–32 lowercase letters, digits or _, starting with a letter (it \
             names the database bao_<name>)"
        );
    }
    let home = store.dir.join(&store.name);
    if home.exists() {
        bail!(
            "{} exists: that store is already provisioned",
            home.display()
        );
    }
    let admin_url = store
        .admin_url
        .clone()
        .unwrap_or_else(|| settings.database_url.expose_secret().to_owned());
    let database = format!("bao_{}", store.name);
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .context("cannot connect to PostgreSQL to create the store's database (--admin-url)")?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&database)
            .fetch_one(&mut admin)
            .await?;
    if exists {
        bail!("database {database} exists already: pick another name or drop it first");
    }
    let url = crate::db::with_database(&admin_url, &database)?;
    // Files first, then the database; whatever fails leaves neither behind.
    let files = std::fs::create_dir_all(home.join("logs"))
        .and_then(|()| std::fs::create_dir_all(home.join("backups")))
        .with_context(|| format!("cannot create {}", home.display()))
        .and_then(|()| write_files(&home, &store, &url));
    let created = match files {
        Ok(()) => create_database(&mut admin, &database, &url).await,
        Err(error) => Err(error),
    };
    if let Err(error) = created {
        if let Err(cleanup) = std::fs::remove_dir_all(&home)
            && home.exists()
        {
            tracing::warn!(%cleanup, home = %home.display(), "could not remove the half-made store folder");
        }
        return Err(error);
    }
    Ok(home)
}

/// Create and migrate `database`; dropped again when migrating fails.
async fn create_database(
    admin: &mut PgConnection,
    database: &str,
    url: &str,
) -> anyhow::Result<()> {
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .execute(&mut *admin)
        .await
        .with_context(|| format!("cannot create database {database}"))?;
    let migrated = async {
        let pool = PgPool::connect(url)
            .await
            .with_context(|| format!("cannot connect to the new database {database}"))?;
        let migrated = crate::db::migrate(&pool).await;
        pool.close().await;
        migrated
    }
    .await;
    if migrated.is_err() {
        let _ = sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {database} WITH (FORCE)"
        )))
        .execute(&mut *admin)
        .await;
    }
    migrated
}

fn write_files(home: &Path, store: &NewStore, url: &str) -> anyhow::Result<()> {
    let env = format!(
        "# Shop `{name}`, provisioned by `bot-auto-order store new`. Fill in the Telegram token and
# owner ids, then start it (see compose.yaml). Every variable is in the README.
DATABASE_URL={url}
STORE_NAME={name}
HTTP_BIND=0.0.0.0:{port}
LOG_DIR=logs
BACKUP_DIR=backups
TELEGRAM_BOT_TOKEN=
TELEGRAM_OWNER_IDS=
TELEGRAM_ADMIN_IDS=
PAKASIR_PROJECT=
PAKASIR_API_KEY=
BACKUP_PASSWORD={backup}
METRICS_TOKEN={metrics}
",
        name = store.name,
        port = store.port,
        backup = secret(),
        metrics = secret(),
    );
    let env_path = home.join(".env");
    std::fs::write(&env_path, env)
        .with_context(|| format!("cannot write {}", env_path.display()))?;
    restrict(&env_path)?;
    let compose = format!(
        "# Shop `{name}`: docker compose -f compose.yaml up -d   (from this directory)
# Its database lives on the host's PostgreSQL; the containers reach the host as
# host.docker.internal (DATABASE_URL in .env: use that host name when PostgreSQL runs there).
name: bao-{name}

x-shop: &shop
  image: bot-auto-order:latest
  env_file: .env
  environment:
    LOG_DIR: /app/logs
    BACKUP_DIR: /app/backups
  extra_hosts: [\"host.docker.internal:host-gateway\"]
  restart: unless-stopped
  stop_grace_period: 40s
  volumes:
    - ./logs:/app/logs
    - ./backups:/app/backups

services:
  ingress:
    <<: *shop
    command: [\"ingress\"]
    ports: [\"{port}:{port}\"]
  worker:
    <<: *shop
    command: [\"worker\"]
    environment:
      LOG_DIR: /app/logs
      BACKUP_DIR: /app/backups
      HTTP_BIND: 0.0.0.0:8080
",
        name = store.name,
        port = store.port,
    );
    std::fs::write(home.join("compose.yaml"), compose)?;
    Ok(())
}

/// The env file holds secrets: owner-only.
fn restrict(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("cannot restrict {}", path.display()))
}

/// The stores provisioned under `dir`: name, port.
pub fn list(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut stores = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(stores),
        Err(error) => return Err(error).with_context(|| format!("cannot read {}", dir.display())),
    };
    for entry in entries.flatten() {
        let env = entry.path().join(".env");
        if let Ok(text) = std::fs::read_to_string(&env) {
            let bind = text
                .lines()
                .find_map(|l| l.strip_prefix("HTTP_BIND="))
                .unwrap_or("?")
                .to_owned();
            stores.push((entry.file_name().to_string_lossy().into_owned(), bind));
        }
    }
    stores.sort();
    Ok(stores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_names_make_safe_database_names() {
        assert!(valid_name("toko_kedua"));
        assert!(!valid_name("Toko"));
        assert!(!valid_name("1toko"));
        assert!(!valid_name("toko; DROP DATABASE x"));
        assert!(!valid_name(""));
        assert_eq!(
            crate::db::with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "bao_x")
                .expect("url"),
            "postgres://u:p@h:5432/bao_x?sslmode=disable"
        );
    }
}
