use std::process::ExitCode;

use bot_auto_order::app::{self, Role};
use bot_auto_order::cli::{Cli, Command, StoreCommand};
use bot_auto_order::config::{Settings, parse_queues};
use bot_auto_order::{backup_cmd, db, doctor, jobs_cmd, logging, store_cmd};
use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if matches!(cli.command, Some(Command::Doctor)) {
        // A configuration that does not load is reported, not a reason to stop.
        return doctor_command(Settings::from_env()).await;
    }
    let settings = Settings::from_env()?;
    let _log_guard = logging::init(&settings)?;
    match cli.command.unwrap_or(Command::Run) {
        Command::Run => app::start(settings, Role::All).await,
        Command::Ingress => app::start(settings, Role::Ingress).await,
        Command::Worker {
            queues,
            concurrency,
        } => {
            let queues = match queues {
                Some(list) => parse_queues(&list).map_err(|e| anyhow::anyhow!("--queues: {e}"))?,
                None => settings.queues.clone(),
            };
            app::start(
                settings,
                Role::Worker {
                    queues,
                    concurrency,
                },
            )
            .await
        }
        Command::Migrate => {
            app::migrate_only(&settings).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Doctor => doctor_command(Ok(settings)).await,
        Command::Jobs { command } => {
            let pool = db::connect(&settings, std::time::Duration::ZERO).await?;
            jobs_cmd::run(&pool, command).await
        }
        Command::Store { command } => store(&settings, command).await,
        Command::Reconcile { json } => {
            let pool = db::connect(&settings, std::time::Duration::ZERO).await?;
            reconcile(&pool, json).await
        }
        Command::Backup { command } => {
            let pool = db::connect(&settings, std::time::Duration::ZERO).await?;
            backup_cmd::run(&settings, &pool, command).await
        }
    }
}

/// Print the doctor's report; an error when a check failed (exit code 1).
async fn doctor_command(
    settings: Result<Settings, bot_auto_order::config::ConfigError>,
) -> anyhow::Result<()> {
    let (report, healthy) = doctor::report(&doctor::run(settings).await);
    print!("{report}");
    if healthy {
        Ok(())
    } else {
        Err(anyhow::anyhow!("doctor found problems (see above)"))
    }
}

async fn store(settings: &Settings, command: StoreCommand) -> anyhow::Result<()> {
    match command {
        StoreCommand::New {
            name,
            dir,
            port,
            admin_url,
        } => {
            let taken = store_cmd::list(&dir)?.len();
            let port = port.unwrap_or(8081 + u16::try_from(taken).unwrap_or(0));
            let home = store_cmd::new(
                settings,
                store_cmd::NewStore {
                    name: name.clone(),
                    dir,
                    port,
                    admin_url,
                },
            )
            .await?;
            println!(
                "store {name}: database bao_{name} created and migrated; files in {}\n\
                 next: fill TELEGRAM_BOT_TOKEN and TELEGRAM_OWNER_IDS in {}/.env, then\n  \
                 (cd {} && docker compose up -d)   or run `bot-auto-order run` there\n\
                 it listens on port {port}",
                home.display(),
                home.display(),
                home.display()
            );
            Ok(())
        }
        StoreCommand::List { dir } => {
            let stores = store_cmd::list(&dir)?;
            if stores.is_empty() {
                println!("no stores under {}", dir.display());
            }
            for (name, bind) in stores {
                println!("{name}  {bind}");
            }
            Ok(())
        }
    }
}

/// Print the invariants' report; an error when something does not add up (exit code 1).
async fn reconcile(pool: &sqlx::PgPool, json: bool) -> anyhow::Result<()> {
    let findings = workers::reconcile::run(pool).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
    } else {
        for (name, rule) in workers::reconcile::checks() {
            match findings.iter().find(|f| f.check == name) {
                None => println!("[ok  ] {name:<26} {rule}"),
                Some(found) => {
                    println!("[FAIL] {name:<26} {rule}: {} discrepancy(ies)", found.count);
                    for example in &found.examples {
                        println!("         {example}");
                    }
                }
            }
        }
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "{} check(s) found discrepancies (see above)",
            findings.len()
        ))
    }
}
