//! Sandbox mode: `run` without TELEGRAM_BOT_TOKEN. The stand-in Bot API and the stand-in
//! Pakasir (the ones the tests use) run inside the process, the shop talks to them as it
//! would to the real services, and a web chat at `/sandbox` lets a person be the customer or
//! the admin ([`web`]). Its data lives in a database of its own (`<DATABASE_URL's name>_sandbox`,
//! marked by the `sandbox` table) with a demo catalog seeded once; a shop with a real token
//! refuses to start on such a database, and sandbox mode never starts with a token at all.

pub mod transcript;
pub mod web;

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};
use workers::payments::pakasir::PakasirConfig;

use crate::config::{Settings, TelegramMode};
use crate::standin::pakasir::PakasirStandin;
use crate::standin::telegram::TelegramStandin;

/// The sandbox's customer and admin (owner), as Telegram user ids.
pub const CUSTOMER: i64 = 100_001;
pub const ADMIN: i64 = 100_000;

const PROJECT: &str = "sandbox";
const API_KEY: &str = "sandbox-key";

/// The in-process stand-ins and what the web chat sent through them.
#[derive(Clone)]
pub struct Sandbox {
    pub api: TelegramStandin,
    pub pakasir: PakasirStandin,
    sent: Arc<Mutex<Vec<transcript::Sent>>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("telegram", &self.api.url)
            .field("pakasir", &self.pakasir.url)
            .finish()
    }
}

impl Sandbox {
    fn sent(&self) -> MutexGuard<'_, Vec<transcript::Sent>> {
        self.sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Once the ingress is bound: point the stand-in Pakasir's webhook at it and say loudly
    /// where the web chat is.
    pub fn bound(&self, addr: SocketAddr) {
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_owned()
        } else {
            addr.ip().to_string()
        };
        let base = format!("http://{host}:{}", addr.port());
        self.pakasir
            .set_webhook(&format!("{base}/webhooks/pakasir"));
        let banner = format!(
            "SANDBOX MODE: TELEGRAM_BOT_TOKEN is not set, so nothing talks to Telegram or \
             Pakasir: stand-ins run in this process and the data lives in its own database. \
             Open {base}/sandbox to chat with the shop as a customer or as the admin. Set \
             TELEGRAM_BOT_TOKEN to run for real."
        );
        eprintln!("\n*** {banner} ***\n");
        tracing::warn!("{banner}");
    }
}

/// Start the stand-ins and turn `settings` into the sandbox's: their URLs and credentials, the
/// sandbox database (created when missing), the sandbox admin as the owner, PUBLIC_URL (for the
/// dashboard link) on this machine unless set.
pub async fn start(mut settings: Settings) -> anyhow::Result<(Settings, Sandbox)> {
    let api = TelegramStandin::start()
        .await
        .context("cannot start the sandbox's stand-in Bot API")?;
    let pakasir = PakasirStandin::start(PROJECT, API_KEY)
        .await
        .context("cannot start the sandbox's stand-in Pakasir")?;
    let database_url = sandbox_database(settings.database_url.expose_secret()).await?;
    if settings.pakasir.is_some() {
        tracing::warn!(
            "sandbox mode: PAKASIR_PROJECT/PAKASIR_API_KEY are ignored; payments go to the stand-in"
        );
    }
    settings.database_url = SecretString::from(database_url);
    settings.telegram_bot_token = Some(SecretString::from("sandbox:stand-in".to_owned()));
    settings.telegram_api_url = url::Url::parse(&api.url).context("stand-in URL")?;
    settings.telegram_mode = TelegramMode::Polling;
    settings.staff = workers::shop::staff::Staff::new(vec![ADMIN], Vec::new());
    settings.alerts.owners = vec![ADMIN];
    settings.pakasir = Some(PakasirConfig {
        api_url: url::Url::parse(&pakasir.url).context("stand-in URL")?,
        project: PROJECT.to_owned(),
        api_key: SecretString::from(API_KEY.to_owned()),
        pay_url: url::Url::parse(&format!("{}/pay", pakasir.url)).context("stand-in URL")?,
        timeout: Duration::from_secs(5),
    });
    settings.pakasir_webhook_secret = None;
    // The bot's 🖥 Dashboard link needs the address the browser reaches the shop at.
    if settings.public_url.is_none() && settings.http_bind.port() != 0 {
        settings.public_url = Some(format!("http://127.0.0.1:{}", settings.http_bind.port()));
    }
    Ok((
        settings,
        Sandbox {
            api,
            pakasir,
            sent: Arc::default(),
        },
    ))
}

/// The sandbox's database next to `url`'s (`<name>_sandbox`), created when missing; its URL.
async fn sandbox_database(url: &str) -> anyhow::Result<String> {
    let parsed = url::Url::parse(url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
    let name = parsed.path().trim_start_matches('/');
    let name = if name.is_empty() { "postgres" } else { name };
    let sandbox = if name.ends_with("_sandbox") {
        name.to_owned()
    } else {
        format!("{name}_sandbox")
    };
    anyhow::ensure!(
        sandbox
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "the database name in DATABASE_URL must be letters, digits and _ for sandbox mode \
         (it names the sandbox's database {sandbox:?})"
    );
    // DATABASE_URL's own database need not exist yet: the server's `postgres` one will do.
    let mut admin = match PgConnection::connect(url).await {
        Ok(conn) => conn,
        Err(_) => PgConnection::connect(&crate::db::with_database(url, "postgres")?)
            .await
            .context(
                "cannot connect to DATABASE_URL's server to find or create the sandbox's database",
            )?,
    };
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS "exists!""#,
        sandbox
    )
    .fetch_one(&mut admin)
    .await?;
    if !exists {
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {sandbox}")))
            .execute(&mut admin)
            .await
            .with_context(|| format!("cannot create the sandbox's database {sandbox}"))?;
        tracing::info!(database = %sandbox, "sandbox database created");
    }
    crate::db::with_database(url, &sandbox)
}

/// After migrating: a shop with a real token refuses a sandbox database; the sandbox marks
/// its database and seeds the demo catalog the first time, and numbers its updates after the
/// last one the database has seen.
pub async fn check_database(pool: &PgPool, sandbox: Option<&Sandbox>) -> anyhow::Result<()> {
    let marked = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM sandbox) AS "marked!""#)
        .fetch_one(pool)
        .await?;
    let Some(sandbox) = sandbox else {
        anyhow::ensure!(
            !marked,
            "this database belongs to the sandbox (it has a `sandbox` row), so a shop with a real \
             TELEGRAM_BOT_TOKEN will not run on it: point DATABASE_URL at the shop's own database"
        );
        return Ok(());
    };
    if !marked {
        seed(pool).await?;
    }
    let offset = sqlx::query_scalar!("SELECT value FROM telegram_state WHERE key = 'poll_offset'")
        .fetch_optional(pool)
        .await?;
    if let Some(offset) = offset {
        sandbox.api.continue_updates_from(offset);
    }
    Ok(())
}

/// A demo variant: code, name, price, stock.
type DemoVariant = (&'static str, &'static str, i64, i32);

/// The demo catalog: two categories, four products with stock (Netflix in three variants, its
/// month with a quantity tier), a Reseller price group, a voucher; and the mark.
async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!("INSERT INTO sandbox DEFAULT VALUES")
        .execute(&mut *tx)
        .await?;
    let streaming = sqlx::query_scalar!(
        "INSERT INTO categories (name, emoji, sort_order) VALUES ('Streaming', '🎬', 1) RETURNING id"
    )
    .fetch_one(&mut *tx)
    .await?;
    let tools = sqlx::query_scalar!(
        "INSERT INTO categories (name, emoji, sort_order) VALUES ('Tools', '🧰', 2) RETURNING id"
    )
    .fetch_one(&mut *tx)
    .await?;
    let products: [(&str, &str, i64, &str, &[DemoVariant]); 4] = [
        (
            "NETFLIX",
            "Netflix Premium",
            streaming,
            "1 profile, 4K, private PIN",
            &[
                ("NETFLIX1M", "1 month", 35_000, 12),
                ("NETFLIX3M", "3 months", 95_000, 4),
                ("NETFLIX12M", "12 months", 350_000, 2),
            ],
        ),
        (
            "SPOTIFY1M",
            "Spotify Family 1 month",
            streaming,
            "Invite link to a family plan",
            &[("SPOTIFY1M", "Spotify Family 1 month", 20_000, 5)],
        ),
        (
            "CANVA1Y",
            "Canva Pro 1 year",
            tools,
            "Team invite to your e-mail",
            &[("CANVA1Y", "Canva Pro 1 year", 45_000, 3)],
        ),
        (
            "VPN3M",
            "VPN 3 months",
            tools,
            "Account, works on 5 devices",
            &[("VPN3M", "VPN 3 months", 25_000, 0)],
        ),
    ];
    for (code, name, category, description, variants) in products {
        let id = sqlx::query_scalar!(
            "INSERT INTO products (code, name, category_id, description)
             VALUES ($1, $2, $3, $4) RETURNING id",
            code,
            name,
            category,
            description
        )
        .fetch_one(&mut *tx)
        .await?;
        for (order, (code, name, price, stock)) in (1..).zip(variants.iter()) {
            let variant = sqlx::query_scalar!(
                "INSERT INTO product_variants (product_id, code, name, price, sort_order)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                id,
                code,
                name,
                price,
                order
            )
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query!(
                "INSERT INTO product_contents (variant_id, content)
                 SELECT $1, 'demo-' || lower($2) || '-' || n || ' password-' || md5($2 || n)::char(8)
                 FROM generate_series(1, $3::int) n",
                variant,
                code,
                stock
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    // A quantity tier, and a reseller group with its own price and 10 % off the rest.
    sqlx::query!(
        "INSERT INTO variant_tiers (variant_id, min_quantity, unit_price)
         SELECT id, 5, 32000 FROM product_variants WHERE code = 'NETFLIX1M'"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "WITH g AS (INSERT INTO price_groups (name, percent_off) VALUES ('Reseller', 10) RETURNING id)
         INSERT INTO price_group_prices (group_id, variant_id, price)
         SELECT g.id, v.id, 30000 FROM g, product_variants v WHERE v.code = 'NETFLIX1M'"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO vouchers (code, kind, value, min_order) VALUES ('DEMO10', 'percent', 10, 0)"
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        "sandbox: demo catalog seeded (4 products, Netflix in 3 variants with a tier, a Reseller group, voucher DEMO10)"
    );
    Ok(())
}
