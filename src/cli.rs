//! The command line: what each subcommand is for, as `--help` shows it.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bot-auto-order",
    version,
    about = "Telegram auto-order shop for digital goods, paid by QRIS through Pakasir",
    long_about = "Telegram auto-order shop for digital goods, paid by QRIS through Pakasir.\n\n\
        Every side effect is a durable job in PostgreSQL. Run everything in one process with \
        `run` (the default), or split ingress and workers and scale each.\n\
        Configuration comes from the environment and .env; see the README."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingress and workers in one process: the default, right for a small shop
    Run,
    /// Only the HTTP ingress (health, readiness, webhooks); run as many as you like
    Ingress,
    /// Only job workers; run as many replicas as the load needs
    Worker {
        /// Queues to serve: `all` or a comma list (overrides WORKER_QUEUES)
        #[arg(long)]
        queues: Option<String>,
        /// Jobs run at once per served queue (overrides WORKER_CONCURRENCY)
        #[arg(long)]
        concurrency: Option<usize>,
    },
    /// Apply database migrations and exit (also done at every start)
    Migrate,
    /// Check configuration, database, migrations, Telegram, Pakasir, disk and pg_dump; exit 1
    /// when something is broken
    Doctor,
    /// See and manage jobs
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Encrypted database backups (BACKUP_PASSWORD, BACKUP_DIR)
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// Check every invariant (stock, money, deliveries, invoices, payments, jobs); exit 1 on a
    /// discrepancy
    Reconcile {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Several shops on one host: provision another (database, .env, compose file)
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Create the shop's database (migrated) and stores/NAME/ with its .env and compose.yaml
    New {
        /// Lowercase letters, digits and _: the database is bao_NAME
        name: String,
        /// Where the stores' directories live
        #[arg(long, default_value = "stores")]
        dir: std::path::PathBuf,
        /// The shop's HTTP port (default: 8081 and up, one per store)
        #[arg(long)]
        port: Option<u16>,
        /// A PostgreSQL URL on the server to create the database with (default: DATABASE_URL)
        #[arg(long)]
        admin_url: Option<String>,
    },
    /// The shops provisioned under --dir
    List {
        #[arg(long, default_value = "stores")]
        dir: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Dump the database now (pg_dump custom format, encrypted, with a checksum)
    Create,
    /// Backups in BACKUP_DIR, newest first
    List,
    /// Check a backup's checksum, decrypt it and read its table of contents
    Verify {
        /// A backup's name (`bao-…`) or `latest`
        #[arg(default_value = "latest")]
        name: String,
    },
    /// Restore a backup into a database (its objects are replaced)
    Restore {
        /// A backup's name (`bao-…`) or `latest`
        name: String,
        /// The database to restore into, e.g. postgres://user@host/shop_restored
        #[arg(long)]
        into: String,
        /// Needed when --into is the shop's own DATABASE_URL (stop the shop first)
        #[arg(long)]
        overwrite_the_shop: bool,
    },
    /// Delete all but the newest BACKUP_KEEP (or --keep) backups
    Prune {
        #[arg(long)]
        keep: Option<usize>,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// List jobs, newest first
    List {
        /// pending, scheduled, running, retrying, failed or done
        #[arg(long)]
        status: Option<String>,
        /// Only this queue
        #[arg(long)]
        queue: Option<String>,
        /// Only this kind, e.g. audit.write
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Everything about one job: payload, attempts, last error
    Show { id: String },
    /// Run a failed (or retrying) job again now with fresh attempts
    Retry {
        #[arg(required_unless_present = "all_failed", conflicts_with = "all_failed")]
        id: Option<String>,
        /// Retry every failed job
        #[arg(long)]
        all_failed: bool,
        /// With --all-failed: only this queue
        #[arg(long, requires = "all_failed")]
        queue: Option<String>,
    },
    /// Delete a job that is not running (its last state goes to the audit log)
    Discard { id: String },
    /// Job counts per queue and state, and the oldest waiting job's age
    Stats {
        #[arg(long)]
        json: bool,
    },
}
