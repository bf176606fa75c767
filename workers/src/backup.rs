//! Backups: `pg_dump` in custom format, encrypted with age (a passphrase, scrypt) as it is
//! written, with a SHA-256 checksum of the encrypted file and the row counts of the main tables
//! in a manifest next to it (`bao-<time>.dump.age` and `bao-<time>.json`). Verified by
//! checksum and by `pg_restore --list` reading the decrypted archive; restored with
//! `pg_restore --clean` into a database you name; pruned to the newest `keep`. The daily
//! `backup.run` job creates and prunes, and tells the owners when a backup fails (and once
//! when backups work again).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::owner_alerts::AlertSettings;
use crate::ui::texts::OpsText;
use crate::{JobContext, JobError, Registry};
use jobs::catalogue::BackupRun;

/// Tables whose row counts go into the manifest (and are compared after a test restore).
pub const COUNTED: [&str; 10] = [
    "users",
    "products",
    "product_variants",
    "product_contents",
    "orders",
    "order_items",
    "balance_ledger",
    "payment_events",
    "audit_log",
    "apalis.jobs",
];

#[derive(Debug, Clone)]
pub struct BackupSettings {
    pub dir: PathBuf,
    pub password: SecretString,
    /// Backups kept by `prune` (the newest).
    pub keep: usize,
    /// The shop's database, dumped by `pg_dump`.
    pub database_url: SecretString,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The encrypted dump's file name, in the same directory.
    pub file: String,
    pub created_at: DateTime<Utc>,
    pub bytes: u64,
    pub sha256: String,
    pub rows: BTreeMap<String, i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("backup directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Tool(String),
    #[error("encryption: {0}")]
    Crypto(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("no backup named {0} (see `bot-auto-order backup list`)")]
    Unknown(String),
    #[error("backup {name} is damaged: {why}")]
    Damaged { name: String, why: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// libpq's environment for `url`, so the password never appears in a process list.
fn libpq_env(url: &SecretString) -> Result<Vec<(&'static str, String)>, BackupError> {
    let url = url::Url::parse(url.expose_secret())
        .map_err(|e| BackupError::Tool(format!("DATABASE_URL is not a URL: {e}")))?;
    let mut env = vec![
        ("PGHOST", url.host_str().unwrap_or("localhost").to_owned()),
        ("PGPORT", url.port().unwrap_or(5432).to_string()),
        ("PGDATABASE", url.path().trim_start_matches('/').to_owned()),
    ];
    if !url.username().is_empty() {
        env.push(("PGUSER", url.username().to_owned()));
    }
    if let Some(password) = url.password() {
        env.push(("PGPASSWORD", password.to_owned()));
    }
    if let Some((_, mode)) = url.query_pairs().find(|(k, _)| k == "sslmode") {
        env.push(("PGSSLMODE", mode.into_owned()));
    }
    Ok(env)
}

fn tool(name: &str, url: &SecretString) -> Result<Command, BackupError> {
    let mut command = Command::new(name);
    command.envs(libpq_env(url)?);
    Ok(command)
}

/// A writer that hashes what passes through.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Row counts of [`COUNTED`] in `pool`'s database.
pub async fn row_counts(pool: &PgPool) -> Result<BTreeMap<String, i64>, BackupError> {
    let mut rows = BTreeMap::new();
    for table in COUNTED {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(pool)
                .await?;
        rows.insert(table.to_owned(), n);
    }
    Ok(rows)
}

/// Dump, encrypt, checksum; the manifest of the new backup.
pub async fn create(settings: &BackupSettings, pool: &PgPool) -> Result<Manifest, BackupError> {
    std::fs::create_dir_all(&settings.dir).map_err(io(&settings.dir))?;
    let created_at = Utc::now();
    let name = format!("bao-{}", created_at.format("%Y%m%dT%H%M%S%.3fZ"));
    let rows = row_counts(pool).await?;
    let file = format!("{name}.dump.age");
    let (bytes, sha256) = tokio::task::spawn_blocking({
        let settings = settings.clone();
        let file = file.clone();
        move || dump(&settings, &file)
    })
    .await
    .map_err(|e| BackupError::Tool(format!("the backup thread stopped: {e}")))??;
    let manifest = Manifest {
        file,
        created_at,
        bytes,
        sha256,
        rows,
    };
    let path = settings.dir.join(format!("{name}.json"));
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BackupError::Tool(format!("manifest: {e}")))?;
    std::fs::write(&path, json).map_err(io(&path))?;
    Ok(manifest)
}

/// `pg_dump` → age → file (through a temporary name, renamed when complete).
fn dump(settings: &BackupSettings, file: &str) -> Result<(u64, String), BackupError> {
    let target = settings.dir.join(file);
    let partial = settings.dir.join(format!("{file}.partial"));
    let mut child = tool("pg_dump", &settings.database_url)?
        .args(["--format=custom", "--no-owner", "--no-privileges"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            BackupError::Tool(format!(
                "pg_dump could not start ({e}); install PostgreSQL's client tools"
            ))
        })?;
    let out = std::fs::File::create(&partial).map_err(io(&partial))?;
    let mut hashing = Hashing {
        inner: std::io::BufWriter::new(out),
        hash: Sha256::new(),
        bytes: 0,
    };
    {
        let encryptor = age::Encryptor::with_user_passphrase(settings.password.clone());
        let mut writer = encryptor
            .wrap_output(&mut hashing)
            .map_err(|e| BackupError::Crypto(e.to_string()))?;
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| BackupError::Tool("pg_dump gave no output".to_owned()))?;
        std::io::copy(&mut stdout, &mut writer).map_err(io(&partial))?;
        writer.finish().map_err(io(&partial))?;
    }
    hashing.flush().map_err(io(&partial))?;
    let output = child
        .wait_with_output()
        .map_err(|e| BackupError::Tool(format!("pg_dump: {e}")))?;
    if !output.status.success() {
        let _ = std::fs::remove_file(&partial);
        return Err(BackupError::Tool(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    std::fs::rename(&partial, &target).map_err(io(&target))?;
    Ok((hashing.bytes, hex::encode(hashing.hash.finalize())))
}

/// Every backup's manifest, newest first (a manifest that cannot be read is skipped, logged).
pub fn list(dir: &Path) -> Result<Vec<Manifest>, BackupError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io(dir)(error)),
    };
    let mut manifests = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            match std::fs::read(&path)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            {
                Some(manifest) => manifests.push(manifest),
                None => tracing::warn!(path = %path.display(), "not a backup manifest; ignored"),
            }
        }
    }
    manifests.sort_by_key(|m| std::cmp::Reverse(m.created_at));
    Ok(manifests)
}

/// A backup by name (`bao-…`, with or without an extension), or the newest for `latest`.
pub fn find(dir: &Path, name: &str) -> Result<Manifest, BackupError> {
    let all = list(dir)?;
    let wanted = name
        .trim_end_matches(".json")
        .trim_end_matches(".age")
        .trim_end_matches(".dump");
    let found = if wanted == "latest" {
        all.into_iter().next()
    } else {
        all.into_iter()
            .find(|m| m.file.trim_end_matches(".dump.age") == wanted)
    };
    found.ok_or_else(|| BackupError::Unknown(name.to_owned()))
}

/// The decrypted dump of `manifest`, streamed into `sink` (after checking the checksum).
fn decrypt_into(
    settings: &BackupSettings,
    manifest: &Manifest,
    sink: &mut dyn Write,
) -> Result<(), BackupError> {
    let path = settings.dir.join(&manifest.file);
    let damaged = |why: String| BackupError::Damaged {
        name: manifest.file.clone(),
        why,
    };
    let mut file = std::fs::File::open(&path).map_err(io(&path))?;
    let mut hash = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(io(&path))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    let sha256 = hex::encode(hash.finalize());
    if sha256 != manifest.sha256 {
        return Err(damaged(format!(
            "checksum {sha256} instead of {}",
            manifest.sha256
        )));
    }
    let file = std::fs::File::open(&path).map_err(io(&path))?;
    let decryptor = age::Decryptor::new(std::io::BufReader::new(file))
        .map_err(|e| damaged(format!("not an age file: {e}")))?;
    let identity = age::scrypt::Identity::new(settings.password.clone());
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| {
            BackupError::Crypto(format!(
                "{e} (is BACKUP_PASSWORD the one it was made with?)"
            ))
        })?;
    std::io::copy(&mut reader, sink).map_err(|e| damaged(format!("decryption: {e}")))?;
    Ok(())
}

/// Feed the decrypted dump to `pg_restore` with `args`; its standard output.
fn pg_restore(
    settings: &BackupSettings,
    manifest: &Manifest,
    url: &SecretString,
    args: &[&str],
) -> Result<String, BackupError> {
    let mut child = tool("pg_restore", url)?
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            BackupError::Tool(format!(
                "pg_restore could not start ({e}); install PostgreSQL's client tools"
            ))
        })?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| BackupError::Tool("pg_restore took no input".to_owned()))?;
    let fed = decrypt_into(settings, manifest, &mut stdin);
    drop(stdin);
    let output = child
        .wait_with_output()
        .map_err(|e| BackupError::Tool(format!("pg_restore: {e}")))?;
    fed?;
    if !output.status.success() {
        return Err(BackupError::Tool(format!(
            "pg_restore failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Checksum, decryption and the archive's table of contents; how many entries it lists.
pub async fn verify(settings: &BackupSettings, manifest: &Manifest) -> Result<usize, BackupError> {
    let (settings, manifest) = (settings.clone(), manifest.clone());
    tokio::task::spawn_blocking(move || {
        let url = settings.database_url.clone();
        pg_restore(&settings, &manifest, &url, &["--list"]).map(|toc| {
            toc.lines()
                .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
                .count()
        })
    })
    .await
    .map_err(|e| BackupError::Tool(format!("the verify thread stopped: {e}")))?
}

/// Restore into the database at `target` (its objects replaced by the backup's).
pub async fn restore(
    settings: &BackupSettings,
    manifest: &Manifest,
    target: SecretString,
) -> Result<(), BackupError> {
    let (settings, manifest) = (settings.clone(), manifest.clone());
    tokio::task::spawn_blocking(move || {
        let env = libpq_env(&target)?;
        let database = env
            .iter()
            .find(|(k, _)| *k == "PGDATABASE")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        pg_restore(
            &settings,
            &manifest,
            &target,
            &[
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                &database,
            ],
        )
        .map(|_| ())
    })
    .await
    .map_err(|e| BackupError::Tool(format!("the restore thread stopped: {e}")))?
}

/// Delete all but the newest `keep` backups; the names deleted.
pub fn prune(dir: &Path, keep: usize) -> Result<Vec<String>, BackupError> {
    let mut removed = Vec::new();
    for manifest in list(dir)?.into_iter().skip(keep) {
        let name = manifest.file.trim_end_matches(".dump.age").to_owned();
        for path in [dir.join(&manifest.file), dir.join(format!("{name}.json"))] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(io(&path)(error)),
            }
        }
        removed.push(name);
    }
    Ok(removed)
}

pub fn register(registry: &mut Registry, settings: BackupSettings, alerts: AlertSettings) {
    registry.register(move |_: BackupRun, ctx: JobContext| {
        let (settings, alerts) = (settings.clone(), alerts.clone());
        async move { run(ctx, &settings, &alerts).await }
    });
}

/// `backup.run`: create, prune, and tell the owners how it went when that is news.
async fn run(
    ctx: JobContext,
    settings: &BackupSettings,
    alerts: &AlertSettings,
) -> Result<(), JobError> {
    let outcome = create(settings, &ctx.pool).await;
    let condition = match &outcome {
        Ok(manifest) => {
            tracing::info!(file = %manifest.file, bytes = manifest.bytes, "backup created");
            match prune(&settings.dir, settings.keep) {
                Ok(removed) if !removed.is_empty() => {
                    tracing::info!(?removed, "old backups pruned");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "old backups could not be pruned"),
            }
            None
        }
        Err(error) if !ctx.is_last_attempt() => {
            return Err(JobError::Retry(format!("backup failed: {error}")));
        }
        Err(error) => {
            tracing::error!(%error, "backup failed");
            Some(crate::owner_alerts::Condition {
                level: 1,
                text: OpsText::AlertBackupFailed,
                values: vec![("error", crate::ui::html::escape(&error.to_string()))],
            })
        }
    };
    let mut tx = ctx.pool.begin().await?;
    let over = OpsText::AlertBackupOver;
    crate::owner_alerts::raise(&mut tx, alerts, "backup", condition, over).await?;
    ctx.commit(tx).await?;
    Ok(())
}
