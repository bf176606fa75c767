use std::process::ExitCode;

use bot_auto_order::app::{self, Role};
use bot_auto_order::cli::{Cli, Command};
use bot_auto_order::config::{Settings, parse_queues};
use bot_auto_order::{backup_cmd, db, doctor, jobs_cmd, logging};
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
