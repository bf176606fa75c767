//! The worker process: apalis workers for each served queue, supervised.
//!
//! Per queue, `fetchers` apalis workers each claim up to `batch_size` jobs at a time
//! (`FOR UPDATE SKIP LOCKED`, so replicas never share a job) and run up to their share of the
//! queue's concurrency. They wake on apalis's LISTEN/NOTIFY insert notice (one listening
//! connection per process, see [`crate::wakeups`]) and also poll every `poll_interval`, which
//! catches scheduled jobs, retries whose backoff ran out and notices lost while the listener
//! reconnected.
//!
//! Each worker heartbeats; a worker whose heartbeat is older than `rescue_after` is presumed
//! dead and its claimed jobs go back to pending (apalis's orphan rescue, run by the live
//! workers of the same queue). Acknowledgements only apply to rows still locked by the
//! acknowledging worker, so a rescued job cannot be completed twice by the queue.
//!
//! When a worker stops on its own (the database went away) it is rebuilt under a new name
//! after a growing pause. On shutdown, workers stop claiming, in-flight jobs get
//! `shutdown_grace` to finish, and jobs still claimed after that are rescued by other workers.

use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::{BackendExt, Monitor, PollWith, Strategy, WorkerBuilder, WorkerBuilderExt};
use apalis_postgres::{Config, PostgresStorage};
use jobs::{Envelope, Queue};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::execute::{Executor, run_job};
use crate::wakeups::Wakeups;
use crate::{Backoff, Registry, periodic};

/// One queue served by this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueConfig {
    pub queue: Queue,
    /// Jobs of this queue running at once in this process.
    pub concurrency: usize,
}

#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    pub queues: Vec<QueueConfig>,
    /// apalis workers per queue (each is one fetch loop on one core at most).
    pub fetchers: usize,
    pub batch_size: usize,
    pub poll_interval: Duration,
    pub heartbeat: Duration,
    pub rescue_after: Duration,
    pub shutdown_grace: Duration,
    pub backoff: Backoff,
    pub schedule: periodic::Schedule,
}

/// Run workers for the configured queues and the periodic scheduler until `shutdown` is
/// cancelled, then drain (see the module docs).
pub async fn run(
    pool: PgPool,
    registry: Registry,
    config: RuntimeConfig,
    shutdown: CancellationToken,
) {
    let executor = Arc::new(Executor {
        registry,
        pool: pool.clone(),
        backoff: config.backoff,
    });
    let config = Arc::new(config);
    let wakeups = Wakeups::start(pool.clone(), shutdown.clone());
    let prefix = process_name();
    let mut tasks = tokio::task::JoinSet::new();
    for queue in &config.queues {
        tracing::info!(
            queue = %queue.queue,
            concurrency = queue.concurrency,
            kinds = ?executor.registry.kinds(queue.queue),
            "serving queue"
        );
        for index in 0..config.fetchers.max(1) {
            let name = format!("{prefix}-{}-{index}", queue.queue);
            let shared = Shared {
                config: config.clone(),
                executor: executor.clone(),
                wakeups: wakeups.clone(),
            };
            tasks.spawn(supervise(name, *queue, shared, shutdown.clone()));
        }
    }
    tasks.spawn(periodic::run(pool, config.schedule, shutdown.clone()));
    while tasks.join_next().await.is_some() {}
    tracing::info!("workers stopped");
}

/// What every worker of the process shares.
#[derive(Clone)]
struct Shared {
    config: Arc<RuntimeConfig>,
    executor: Arc<Executor>,
    wakeups: Wakeups,
}

async fn supervise(name: String, queue: QueueConfig, shared: Shared, shutdown: CancellationToken) {
    let mut restarts: u32 = 0;
    let grace = shared.config.shutdown_grace;
    loop {
        let worker_name = format!("{name}-r{restarts}");
        let share = queue
            .concurrency
            .div_ceil(shared.config.fetchers.max(1))
            .max(1);
        let factory = shared.clone();
        let monitor = Monitor::new()
            .register(move |_| {
                WorkerBuilder::new(worker_name.as_str())
                    .backend(backend(queue.queue, &factory))
                    .concurrency(share)
                    .data(factory.executor.clone())
                    .build(run_job)
            })
            .shutdown_timeout(grace);
        let signal = shutdown.clone();
        let outcome = monitor
            .run_with_signal(async move {
                signal.cancelled().await;
                Ok(())
            })
            .await;
        if shutdown.is_cancelled() {
            return;
        }
        restarts += 1;
        let pause = Duration::from_secs(1 << restarts.min(5));
        tracing::error!(
            worker = %name, ?outcome, ?pause,
            "worker stopped unexpectedly (is the database reachable?); restarting"
        );
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = shutdown.cancelled() => return,
        }
    }
}

/// The queue's storage, woken by LISTEN/NOTIFY and by a poll every `poll_interval`.
fn backend(queue: Queue, shared: &Shared) -> PollWith<PostgresStorage<Envelope>, Strategy> {
    let config = &shared.config;
    let heartbeat = config.heartbeat.max(Duration::from_secs(1));
    let missed = config
        .rescue_after
        .as_secs()
        .div_ceil(heartbeat.as_secs().max(1))
        .max(2);
    let storage = PostgresStorage::<Envelope>::new(&shared.executor.pool).with_config(
        Config::default()
            .queue(queue.as_str())
            .batch_size(config.batch_size.max(1))
            .heartbeat_interval(heartbeat)
            .missed_heartbeats(usize::try_from(missed).unwrap_or(usize::MAX)),
    );
    let wake_ups = Strategy::new()
        .stream(shared.wakeups.for_queue(queue.as_str()))
        .interval(config.poll_interval);
    storage.poll_with_strategy(wake_ups)
}

/// `<host>-<pid>`: unique among live processes, readable in `jobs show`.
fn process_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".to_owned());
    format!("{host}-{}", std::process::id())
}
