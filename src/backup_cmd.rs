//! `bot-auto-order backup …`: create, list, verify, restore and prune encrypted backups
//! (see [`workers::backup`]).

use anyhow::{Context, bail};
use secrecy::{ExposeSecret, SecretString};
use sqlx::PgPool;
use workers::backup;

use crate::cli::BackupCommand;
use crate::config::Settings;

pub async fn run(settings: &Settings, pool: &PgPool, command: BackupCommand) -> anyhow::Result<()> {
    let Some(config) = settings.backup() else {
        bail!(
            "BACKUP_PASSWORD is not set: backups are encrypted with it. Set it (and keep a copy \
             somewhere other than this server), then run this again."
        );
    };
    match command {
        BackupCommand::Create => {
            let manifest = backup::create(&config, pool).await?;
            println!(
                "created {} ({} bytes, sha256 {}) in {}",
                manifest.file,
                manifest.bytes,
                manifest.sha256,
                config.dir.display()
            );
        }
        BackupCommand::List => {
            let all = backup::list(&config.dir)?;
            if all.is_empty() {
                println!("no backups in {}", config.dir.display());
            }
            for m in all {
                let orders = m.rows.get("orders").copied().unwrap_or(0);
                println!(
                    "{}  {:>12} bytes  {} orders  {}",
                    m.file.trim_end_matches(".dump.age"),
                    m.bytes,
                    orders,
                    m.created_at.to_rfc3339()
                );
            }
        }
        BackupCommand::Verify { name } => {
            let manifest = backup::find(&config.dir, &name)?;
            let entries = backup::verify(&config, &manifest).await?;
            println!(
                "{}: checksum ok, decrypted, {entries} archive entries readable",
                manifest.file
            );
        }
        BackupCommand::Restore {
            name,
            into,
            overwrite_the_shop,
        } => {
            let target: SecretString = into.into();
            if target.expose_secret() == settings.database_url.expose_secret()
                && !overwrite_the_shop
            {
                bail!(
                    "--into is the shop's own database. Stop the shop, then add \
                     --overwrite-the-shop to replace its data with the backup."
                );
            }
            let manifest = backup::find(&config.dir, &name)?;
            backup::restore(&config, &manifest, target)
                .await
                .with_context(|| format!("restoring {}", manifest.file))?;
            println!("restored {}", manifest.file);
        }
        BackupCommand::Prune { keep } => {
            let removed = backup::prune(&config.dir, keep.unwrap_or(config.keep))?;
            println!("pruned {} backup(s)", removed.len());
            for name in removed {
                println!("  {name}");
            }
        }
    }
    Ok(())
}
