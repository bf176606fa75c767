//! `bot-auto-order doctor`: checks what the shop needs and prints one line per check —
//! configuration, database, migrations, Telegram (`getMe`), Pakasir, disk space for logs and
//! backups, `pg_dump`, the job queue — each with what to do when it fails. Exits 1 when a check
//! failed, 0 otherwise (warnings included).

use std::path::Path;
use std::time::Duration;

use workers::payments::pakasir::{Pakasir, PakasirError};

use crate::config::{ConfigError, Settings};

/// Below this much free space a directory is a warning; below a tenth of it, a failure.
const LOW_DISK: u64 = 1024 * 1024 * 1024;
const DATABASE_WAIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

pub struct Check {
    pub name: &'static str,
    pub verdict: Verdict,
    pub detail: String,
}

fn check(name: &'static str, verdict: Verdict, detail: impl Into<String>) -> Check {
    Check {
        name,
        verdict,
        detail: detail.into(),
    }
}

/// Every check, in order; with a configuration that does not load, only that one.
pub async fn run(settings: Result<Settings, ConfigError>) -> Vec<Check> {
    let settings = match settings {
        Ok(settings) => settings,
        Err(error) => {
            return vec![check("configuration", Verdict::Fail, error.to_string())];
        }
    };
    let mut checks = vec![check(
        "configuration",
        Verdict::Ok,
        format!(
            "loaded: Telegram {}, QRIS {}, {} owner(s), {} admin(s)",
            if settings.telegram_bot_token.is_some() {
                "on"
            } else {
                "off (no TELEGRAM_BOT_TOKEN)"
            },
            if settings.pakasir.is_some() {
                "on"
            } else {
                "off"
            },
            settings.staff.owners().len(),
            settings.staff.admins().len()
        ),
    )];
    checks.extend(database(&settings).await);
    checks.push(telegram(&settings).await);
    checks.push(pakasir(&settings).await);
    checks.push(disk("disk: logs", &settings.log_dir));
    checks.push(disk("disk: backups", &settings.backup_dir));
    checks.push(pg_dump().await);
    checks.push(backups(&settings));
    checks
}

fn backups(settings: &Settings) -> Check {
    let Some(config) = settings.backup() else {
        return check(
            "backups",
            Verdict::Warn,
            "BACKUP_PASSWORD is not set: no backups are made",
        );
    };
    let every = settings
        .schedule
        .backup_every
        .unwrap_or(Duration::from_secs(86_400));
    match workers::backup::list(&config.dir) {
        Ok(all) => match all.first() {
            None => check(
                "backups",
                Verdict::Warn,
                "none yet: the first is made within BACKUP_EVERY, or run `bot-auto-order backup create`",
            ),
            Some(newest) => {
                let age = (chrono::Utc::now() - newest.created_at)
                    .to_std()
                    .unwrap_or_default();
                let detail = format!(
                    "{} backup(s), newest {} ({} h old)",
                    all.len(),
                    newest.file,
                    age.as_secs() / 3600
                );
                if age > every * 2 {
                    check(
                        "backups",
                        Verdict::Warn,
                        format!("{detail}: older than twice BACKUP_EVERY"),
                    )
                } else {
                    check("backups", Verdict::Ok, detail)
                }
            }
        },
        Err(error) => check("backups", Verdict::Fail, error.to_string()),
    }
}

async fn database(settings: &Settings) -> Vec<Check> {
    let pool = match crate::db::connect(settings, DATABASE_WAIT).await {
        Ok(pool) => pool,
        Err(error) => {
            return vec![check(
                "database",
                Verdict::Fail,
                format!("{error:#} (is PostgreSQL running and DATABASE_URL right?)"),
            )];
        }
    };
    let mut checks = Vec::new();
    match sqlx::query_scalar::<_, String>("SHOW server_version")
        .fetch_one(&pool)
        .await
    {
        Ok(version) => checks.push(check(
            "database",
            Verdict::Ok,
            format!("PostgreSQL {version}"),
        )),
        Err(error) => checks.push(check("database", Verdict::Fail, error.to_string())),
    }
    let applied = match pool.acquire().await {
        Ok(mut conn) => crate::db::migrations_applied(&mut conn).await,
        Err(error) => Err(error),
    };
    checks.push(match applied {
        Ok(true) => check("migrations", Verdict::Ok, "all applied"),
        Ok(false) => check(
            "migrations",
            Verdict::Fail,
            "some are pending: run `bot-auto-order migrate` (every start does it too)",
        ),
        Err(error) => check(
            "migrations",
            Verdict::Fail,
            format!("cannot read the history ({error}): run `bot-auto-order migrate`"),
        ),
    });
    checks.push(match jobs::admin::stats(&pool).await {
        Ok(stats) => {
            let failed: i64 = stats.iter().map(|s| s.failed).sum();
            let oldest = stats
                .iter()
                .filter_map(|s| s.oldest_pending_secs)
                .fold(0.0_f64, f64::max);
            let detail = format!("{failed} failed, oldest pending {oldest:.0} s");
            if failed > 0 || oldest > 300.0 {
                check(
                    "job queue",
                    Verdict::Warn,
                    format!("{detail}: see `bot-auto-order jobs list --status failed`"),
                )
            } else {
                check("job queue", Verdict::Ok, detail)
            }
        }
        Err(error) => check("job queue", Verdict::Fail, error.to_string()),
    });
    pool.close().await;
    checks
}

async fn telegram(settings: &Settings) -> Check {
    let Some(bot) = settings.bot() else {
        return check(
            "telegram",
            Verdict::Warn,
            "no TELEGRAM_BOT_TOKEN: `run` starts the sandbox (stand-ins, demo data); get a token from @BotFather to go live",
        );
    };
    match bot.call("getMe", &serde_json::json!({})).await {
        Ok(me) => check(
            "telegram",
            Verdict::Ok,
            format!(
                "getMe: @{}",
                me["username"].as_str().unwrap_or("(no username)")
            ),
        ),
        Err(error) => check(
            "telegram",
            Verdict::Fail,
            format!("{error} (check TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL)"),
        ),
    }
}

async fn pakasir(settings: &Settings) -> Check {
    let Some(config) = settings.pakasir.clone() else {
        return check(
            "pakasir",
            Verdict::Warn,
            "not configured: customers can pay from their balance only (set PAKASIR_PROJECT and PAKASIR_API_KEY)",
        );
    };
    let client = match Pakasir::new(config) {
        Ok(client) => client,
        Err(error) => return check("pakasir", Verdict::Fail, error.to_string()),
    };
    // Any answer about an order that does not exist shows the API is there and reachable.
    match client.detail("doctor-check", 1).await {
        Ok(_) | Err(PakasirError::Refused(_)) => check(
            "pakasir",
            Verdict::Ok,
            format!("reachable (project {})", client.project()),
        ),
        Err(PakasirError::Transient(why)) => check(
            "pakasir",
            Verdict::Fail,
            format!("{why} (check PAKASIR_API_URL and the network)"),
        ),
    }
}

fn disk(name: &'static str, dir: &Path) -> Check {
    if let Err(error) = std::fs::create_dir_all(dir) {
        return check(
            name,
            Verdict::Fail,
            format!("cannot create {}: {error}", dir.display()),
        );
    }
    let probe = dir.join(".doctor-write-test");
    if let Err(error) = std::fs::write(&probe, b"ok").and_then(|()| std::fs::remove_file(&probe)) {
        return check(
            name,
            Verdict::Fail,
            format!("cannot write in {}: {error}", dir.display()),
        );
    }
    match rustix::fs::statvfs(dir) {
        Ok(stat) => {
            let free = stat.f_bavail.saturating_mul(stat.f_frsize);
            let detail = format!("{}: {} MiB free", dir.display(), free / (1024 * 1024));
            let verdict = if free < LOW_DISK / 10 {
                Verdict::Fail
            } else if free < LOW_DISK {
                Verdict::Warn
            } else {
                Verdict::Ok
            };
            check(name, verdict, detail)
        }
        Err(error) => check(
            name,
            Verdict::Warn,
            format!("{}: free space unknown ({error})", dir.display()),
        ),
    }
}

async fn pg_dump() -> Check {
    match tokio::process::Command::new("pg_dump")
        .arg("--version")
        .output()
        .await
    {
        Ok(out) if out.status.success() => check(
            "pg_dump",
            Verdict::Ok,
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        ),
        _ => check(
            "pg_dump",
            Verdict::Warn,
            "not found: backups need PostgreSQL's client tools (Debian: postgresql-client)",
        ),
    }
}

/// The report as printed, and whether every check passed (warnings allowed).
pub fn report(checks: &[Check]) -> (String, bool) {
    let mut out = String::new();
    for c in checks {
        let mark = match c.verdict {
            Verdict::Ok => "ok  ",
            Verdict::Warn => "WARN",
            Verdict::Fail => "FAIL",
        };
        out.push_str(&format!("[{mark}] {:<14} {}\n", c.name, c.detail));
    }
    let failed = checks.iter().filter(|c| c.verdict == Verdict::Fail).count();
    let warned = checks.iter().filter(|c| c.verdict == Verdict::Warn).count();
    out.push_str(&format!(
        "{} check(s): {failed} failed, {warned} warning(s)\n",
        checks.len()
    ));
    (out, failed == 0)
}
