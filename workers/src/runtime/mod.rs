//! The worker process: for each served queue, one claim loop feeding a local buffer that the
//! queue's workers take from, supervised.
//!
//! The loop claims up to `batch_size` due jobs in one statement (apalis's `get_jobs`,
//! `FOR UPDATE SKIP LOCKED`, so replicas never share a job) whenever no more than a round of
//! work and half a batch is left in hand, while the jobs in hand keep running, and runs up
//! to `concurrency` of them at once.
//! It wakes on the insert notice (one listening connection per process, see
//! [`crate::wakeups`]) and also polls every `poll_interval`, which catches scheduled jobs,
//! retries whose backoff ran out and notices lost while the listener reconnected.
//!
//! A job completes in one of two shapes. A job whose effect is in the database ends with
//! `ctx.commit(tx)` ([`crate::JobContext::commit`]): its state change, the jobs it enqueued
//! and its own completion commit together, one commit per job. A job that calls the outside
//! (Telegram, Pakasir, Digiflazz) makes the call, records what came of it, and returns; its
//! outcome, like every retry, snooze and failure, is written by the process's batched writer
//! ([`acks`]): one statement for all the outcomes that arrived while the last one ran.
//!
//! Each queue's worker heartbeats; a worker whose heartbeat is older than `rescue_after` is
//! presumed dead and its claimed jobs go back to pending (apalis's orphan rescue, run by the
//! live workers of the same queue). Outcomes only apply to rows still claimed by the worker
//! that ran them, so a rescued job cannot be completed twice.
//!
//! When a claim or heartbeat fails (the database went away) the loop starts again under a new
//! name after a growing pause; jobs already running finish on their own. On shutdown the loop
//! stops claiming, claimed jobs that have not started go back to pending at once, in-flight
//! jobs get `shutdown_grace` to finish, and jobs still running after that are rescued by other
//! workers.

pub(crate) mod acks;
pub(crate) mod claim;
pub mod execute;

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use sqlx::PgPool;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::wakeups::Wakeups;
use crate::{Backoff, Registry, periodic};
use execute::{Executor, run_job};
use jobs::Queue;

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
    /// Jobs claimed per statement at most.
    pub batch_size: usize,
    pub poll_interval: Duration,
    pub heartbeat: Duration,
    pub rescue_after: Duration,
    pub shutdown_grace: Duration,
    pub backoff: Backoff,
    pub schedule: periodic::Schedule,
}

impl RuntimeConfig {
    /// Connections the workers can use at once: one per job running, one per queue for its
    /// claims and heartbeats, the listener and the outcome writer.
    pub fn connections_needed(&self) -> u32 {
        let jobs: usize = self.queues.iter().map(|q| q.concurrency).sum();
        u32::try_from(jobs + self.queues.len() + 2).unwrap_or(u32::MAX)
    }
}

/// Run workers for the configured queues and the periodic scheduler until `shutdown` is
/// cancelled, then drain (see the module docs).
pub async fn run(
    pool: PgPool,
    registry: Registry,
    config: RuntimeConfig,
    shutdown: CancellationToken,
) {
    let needed = config.connections_needed();
    let pool_size = pool.options().get_max_connections();
    if pool_size < needed {
        tracing::warn!(
            pool_size,
            needed,
            "DATABASE_MAX_CONNECTIONS is below what WORKER_CONCURRENCY can use at once: jobs will wait for connections; raise DATABASE_MAX_CONNECTIONS to {needed} or lower WORKER_CONCURRENCY"
        );
    }
    let (acks, writer) = acks::Acks::start(pool.clone());
    let executor = Arc::new(Executor {
        registry,
        pool: pool.clone(),
        backoff: config.backoff,
        acks,
    });
    let config = Arc::new(config);
    let wakeups = Wakeups::start(pool.clone(), shutdown.clone());
    let prefix = process_name();
    let mut tasks = JoinSet::new();
    for queue in &config.queues {
        tracing::info!(
            queue = %queue.queue,
            concurrency = queue.concurrency,
            kinds = ?executor.registry.kinds(queue.queue),
            "serving queue"
        );
        let shared = Shared {
            config: config.clone(),
            executor: executor.clone(),
            wakeups: wakeups.clone(),
        };
        let name = format!("{prefix}-{}-0", queue.queue);
        tasks.spawn(supervise(name, *queue, shared, shutdown.clone()));
    }
    tasks.spawn(periodic::run(pool, config.schedule, shutdown.clone()));
    while tasks.join_next().await.is_some() {}
    // The last outcomes: the writer ends once every worker has let go of its sender.
    drop(executor);
    if tokio::time::timeout(Duration::from_secs(5), writer)
        .await
        .is_err()
    {
        tracing::warn!(
            "the last job outcomes were not written within 5 s; those jobs run again after rescue"
        );
    }
    tracing::info!("workers stopped");
}

/// What every queue's loop of the process shares.
#[derive(Clone)]
struct Shared {
    config: Arc<RuntimeConfig>,
    executor: Arc<Executor>,
    wakeups: Wakeups,
}

async fn supervise(name: String, queue: QueueConfig, shared: Shared, shutdown: CancellationToken) {
    let mut restarts: u32 = 0;
    loop {
        let worker = format!("{name}-r{restarts}");
        let error = match serve(&worker, queue, &shared, &shutdown).await {
            Ok(()) => return,
            Err(error) => error,
        };
        if shutdown.is_cancelled() {
            return;
        }
        restarts += 1;
        let pause = Duration::from_secs(1 << restarts.min(5));
        tracing::error!(
            %worker, %error, ?pause,
            "worker stopped unexpectedly (is the database reachable?); restarting"
        );
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = shutdown.cancelled() => return,
        }
    }
}

/// What became of a job handed to the queue's workers.
enum Ran {
    Finished,
    /// Shutdown came before it got a worker: still claimed, never started.
    Unstarted(String),
}

/// Claim and run `queue`'s jobs as `worker` until shutdown (Ok) or a database error.
async fn serve(
    worker: &str,
    queue: QueueConfig,
    shared: &Shared,
    shutdown: &CancellationToken,
) -> Result<(), sqlx::Error> {
    let config = &shared.config;
    let pool = &shared.executor.pool;
    let name = queue.queue.as_str();
    let rescue_after = config.rescue_after;
    let rescued = claim::heartbeat(pool, worker, name, rescue_after).await?;
    if rescued > 0 {
        tracing::warn!(
            queue = name,
            rescued,
            "jobs of dead workers are pending again"
        );
    }
    let concurrency = queue.concurrency.max(1);
    let batch = config.batch_size.max(1);
    let workers = Arc::new(Semaphore::new(concurrency));
    let stop = shutdown.child_token();
    let mut in_hand: JoinSet<Ran> = JoinSet::new();
    let mut wake = shared.wakeups.for_queue(name);
    let mut poll = tokio::time::interval(config.poll_interval.max(Duration::from_millis(10)));
    let mut beat = tokio::time::interval(config.heartbeat.max(Duration::from_secs(1)));
    beat.tick().await;
    let mut maybe_more = true;
    let mut claiming: Option<Pending<'_>> = None;
    // Claim again while half a batch is still waiting, so the workers keep running during
    // the claim instead of emptying the buffer and waiting for it.
    let low_water = concurrency + batch / 2;
    let outcome = loop {
        if claiming.is_none() && maybe_more && in_hand.len() <= low_water {
            let want = (concurrency + batch - in_hand.len()).min(batch);
            claiming = Some(Pending {
                want,
                claim: Box::pin(claim::claim(pool, worker, name, want)),
            });
        }
        tokio::select! {
            claimed = async {
                match claiming.as_mut() {
                    Some(pending) => (&mut pending.claim).await,
                    None => std::future::pending().await,
                }
            }, if claiming.is_some() => {
                let want = claiming.take().map_or(0, |pending| pending.want);
                let claimed = match claimed {
                    Ok(claimed) => claimed,
                    Err(error) => break Err(error),
                };
                maybe_more = claimed.len() == want;
                for job in claimed {
                    let (workers, stop) = (workers.clone(), stop.clone());
                    let (executor, worker) = (shared.executor.clone(), worker.to_owned());
                    in_hand.spawn(async move {
                        let permit = tokio::select! {
                            permit = workers.acquire_owned() => permit,
                            _ = stop.cancelled() => return Ran::Unstarted(job.id),
                        };
                        run_job(job, &worker, &executor).await;
                        drop(permit);
                        Ran::Finished
                    });
                }
            }
            Some(_) = in_hand.join_next(), if !in_hand.is_empty() => {}
            Some(()) = wake.next() => maybe_more = true,
            _ = poll.tick() => maybe_more = true,
            _ = beat.tick() => match claim::heartbeat(pool, worker, name, rescue_after).await {
                Ok(0) => {}
                Ok(rescued) => tracing::warn!(queue = name, rescued, "jobs of dead workers are pending again"),
                Err(error) => break Err(error),
            },
            _ = shutdown.cancelled() => break Ok(()),
        }
    };
    if outcome.is_err() {
        // Running jobs finish by themselves; their outcomes still go to the writer.
        in_hand.detach_all();
        return outcome;
    }
    // A claim under way at shutdown is finished, so its jobs are given back at once rather
    // than after the heartbeat timeout.
    let mut unstarted = Vec::new();
    if let Some(pending) = claiming.take()
        && let Ok(claimed) = pending.claim.await
    {
        unstarted.extend(claimed.into_iter().map(|job| job.id));
    }
    stop.cancel();
    drain(pool, worker, in_hand, unstarted, config.shutdown_grace).await;
    Ok(())
}

/// A claim under way, and how many jobs it asked for.
struct Pending<'a> {
    want: usize,
    claim: futures::future::BoxFuture<'a, Result<Vec<claim::Claimed>, sqlx::Error>>,
}

/// On shutdown: give never-started jobs back at once, let the running ones finish within
/// `grace`.
async fn drain(
    pool: &PgPool,
    worker: &str,
    mut in_hand: JoinSet<Ran>,
    mut unstarted: Vec<String>,
    grace: Duration,
) {
    let deadline = tokio::time::Instant::now() + grace;
    loop {
        match tokio::time::timeout_at(deadline, in_hand.join_next()).await {
            Ok(Some(Ok(Ran::Unstarted(id)))) => unstarted.push(id),
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                tracing::warn!(
                    %worker, running = in_hand.len(),
                    "jobs still running after the shutdown grace; other workers rescue them"
                );
                in_hand.abort_all();
                break;
            }
        }
    }
    if !unstarted.is_empty() {
        match claim::release(pool, worker, &unstarted).await {
            Ok(released) => {
                tracing::info!(%worker, released, "claimed jobs that never started are pending again")
            }
            Err(error) => {
                tracing::warn!(%worker, %error, "claimed jobs could not be given back; they are rescued after the heartbeat timeout")
            }
        }
    }
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
