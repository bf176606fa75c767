//! The durable-job core: transactional enqueue, idempotency, retries, snoozes, permanent
//! failures, panics, crash rescue, several workers, periodic jobs, graceful shutdown.

use std::time::Duration;

use chrono::Utc;
use jobs::catalogue::{Probe, ProbeMode, ProbeScript};
use sqlx::PgPool;

use crate::support::{TestDb, eventually, wait_for_state, wait_for_workers};

pub(crate) const WAIT: Duration = Duration::from_secs(30);

pub(crate) fn script(label: &str, script: ProbeScript) -> Probe {
    Probe {
        label: label.to_owned(),
        mode: ProbeMode::Script(script),
        key: None,
    }
}

pub(crate) async fn enqueue(pool: &PgPool, probe: &Probe) -> String {
    jobs::enqueue(pool, probe)
        .await
        .expect("enqueue")
        .expect("new job")
}

/// (executions, completed executions) of one job's probe runs.
pub(crate) async fn runs(pool: &PgPool, job: &str) -> (i64, i64) {
    sqlx::query_as("SELECT count(*), count(completed_at) FROM probe_runs WHERE job_id = $1")
        .bind(job)
        .fetch_one(pool)
        .await
        .expect("count runs")
}

pub(crate) fn worker(db: &TestDb, queues: &str) -> crate::support::Proc {
    db.spawn(&["worker", "--queues", queues], &[])
}

#[tokio::test]
pub(crate) async fn enqueue_in_a_rolled_back_transaction_leaves_no_job() {
    let db = TestDb::new().await;
    let mut tx = db.pool.begin().await.expect("begin");
    let id = jobs::enqueue(&mut *tx, &script("rollback", ProbeScript::default()))
        .await
        .expect("enqueue")
        .expect("new");
    let inside: i64 = sqlx::query_scalar("SELECT count(*) FROM apalis.jobs WHERE id = $1")
        .bind(&id)
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(inside, 1, "visible inside the transaction");
    tx.rollback().await.expect("rollback");
    let after = db.scalar("SELECT count(*) FROM apalis.jobs").await;
    assert_eq!(after, 0, "a rolled-back enqueue leaves nothing");

    let mut tx = db.pool.begin().await.expect("begin");
    let id = jobs::enqueue(&mut *tx, &script("commit", ProbeScript::default()))
        .await
        .expect("enqueue")
        .expect("new");
    tx.commit().await.expect("commit");
    assert_eq!(
        crate::support::job_state(&db.pool, &id).await.as_deref(),
        Some("pending")
    );
}

#[tokio::test]
pub(crate) async fn the_same_idempotency_key_is_one_job() {
    let db = TestDb::new().await;
    let keyed = |key: &str| Probe {
        label: "keyed".to_owned(),
        mode: ProbeMode::Noop,
        key: Some(key.to_owned()),
    };
    let first = jobs::enqueue(&db.pool, &keyed("update:42"))
        .await
        .expect("first");
    let second = jobs::enqueue(&db.pool, &keyed("update:42"))
        .await
        .expect("second");
    assert!(first.is_some());
    assert_eq!(second, None, "a duplicate enqueue is a no-op, not an error");
    let bulk = [
        keyed("update:42"),
        keyed("update:43"),
        keyed("update:43"),
        keyed("update:44"),
    ];
    let inserted = jobs::enqueue_bulk(&db.pool, &bulk).await.expect("bulk");
    assert_eq!(inserted, 2, "only 43 and 44 are new");
    let total = db.scalar("SELECT count(*) FROM apalis.jobs").await;
    assert_eq!(total, 3);
}

#[tokio::test]
pub(crate) async fn scheduled_jobs_wait_for_their_time() {
    let db = TestDb::new().await;
    let _worker = worker(&db, "diagnostic");
    let run_at = Utc::now() + chrono::Duration::milliseconds(1500);
    let id = jobs::enqueue_at(&db.pool, &script("later", ProbeScript::default()), run_at)
        .await
        .expect("enqueue")
        .expect("new");
    assert_eq!(
        crate::support::job_state(&db.pool, &id).await.as_deref(),
        Some("scheduled")
    );
    wait_for_state(&db.pool, &id, "done", WAIT).await;
    let started: chrono::DateTime<Utc> =
        sqlx::query_scalar("SELECT min(started_at) FROM probe_runs WHERE job_id = $1")
            .bind(&id)
            .fetch_one(&db.pool)
            .await
            .expect("started");
    assert!(
        started >= run_at,
        "started {started}, scheduled for {run_at}"
    );
}

#[tokio::test]
pub(crate) async fn a_job_enqueued_late_in_a_transaction_wakes_a_worker_at_commit() {
    let db = TestDb::new().await;
    // Polling once an hour: only the commit's wake-up can start the job in time.
    let _worker = db.spawn(
        &["worker", "--queues", "diagnostic"],
        &[("JOB_POLL_INTERVAL", "1h")],
    );
    crate::support::wait_for_workers(&db.pool, "diagnostic", 1).await;
    let mut tx = db.pool.begin().await.expect("begin");
    // The transaction's now() is well before the enqueue, as in a handler doing work first.
    sqlx::query("SELECT pg_sleep(0.3)")
        .execute(&mut *tx)
        .await
        .expect("work");
    let id = jobs::enqueue(&mut *tx, &script("late", ProbeScript::default()))
        .await
        .expect("enqueue")
        .expect("new");
    tx.commit().await.expect("commit");
    wait_for_state(&db.pool, &id, "done", WAIT).await;
}

#[tokio::test]
pub(crate) async fn a_failing_job_retries_with_backoff_then_succeeds() {
    let db = TestDb::new().await;
    let _worker = worker(&db, "diagnostic");
    let id = enqueue(
        &db.pool,
        &script(
            "flaky",
            ProbeScript {
                failures: 2,
                ..Default::default()
            },
        ),
    )
    .await;
    wait_for_state(&db.pool, &id, "done", WAIT).await;
    assert_eq!(
        runs(&db.pool, &id).await,
        (3, 1),
        "two failures, then one success"
    );
    let gaps: Vec<f64> = sqlx::query_scalar::<_, Option<f64>>(
        r#"SELECT EXTRACT(EPOCH FROM started_at - lag(started_at) OVER (ORDER BY id))::float8
           FROM probe_runs WHERE job_id = $1 ORDER BY id"#,
    )
    .bind(&id)
    .fetch_all(&db.pool)
    .await
    .expect("gaps")
    .into_iter()
    .flatten()
    .collect();
    // Backoff base 200 ms with jitter in [50%, 100%]: ≥ 0.1 s, then ≥ 0.2 s.
    assert_eq!(gaps.len(), 2);
    assert!(gaps[0] >= 0.1, "first retry after {}s", gaps[0]);
    assert!(gaps[1] >= 0.2, "second retry after {}s", gaps[1]);
    let attempts: i32 = sqlx::query_scalar("SELECT attempts FROM apalis.jobs WHERE id = $1")
        .bind(&id)
        .fetch_one(&db.pool)
        .await
        .expect("attempts");
    assert_eq!(attempts, 3);
}

#[tokio::test]
pub(crate) async fn a_permanent_failure_is_kept_and_never_retried_by_itself() {
    let db = TestDb::new().await;
    let _worker = worker(&db, "diagnostic");
    let doomed = enqueue(
        &db.pool,
        &script(
            "doomed",
            ProbeScript {
                permanent: true,
                ..Default::default()
            },
        ),
    )
    .await;
    wait_for_state(&db.pool, &doomed, "failed", WAIT).await;
    // A job enqueued later on the same queue completing proves the worker kept polling.
    let later = enqueue(&db.pool, &script("later", ProbeScript::default())).await;
    wait_for_state(&db.pool, &later, "done", WAIT).await;
    let later_again = enqueue(&db.pool, &script("later", ProbeScript::default())).await;
    wait_for_state(&db.pool, &later_again, "done", WAIT).await;
    assert_eq!(
        runs(&db.pool, &doomed).await,
        (1, 0),
        "ran once, never again"
    );
    let detail = jobs::admin::show(&db.pool, &doomed)
        .await
        .expect("show")
        .expect("kept");
    assert_eq!(detail.state, "failed");
    let error = detail
        .last_result
        .map(|r| r.to_string())
        .unwrap_or_default();
    assert!(error.contains("fails for good"), "error kept: {error}");
}

#[tokio::test]
pub(crate) async fn a_job_breaking_a_rule_of_the_schema_fails_at_once_with_a_clear_error() {
    let db = TestDb::new().await;
    let _worker = worker(&db, "diagnostic");
    let probe = Probe {
        label: "rule".to_owned(),
        mode: ProbeMode::BreakRule,
        key: None,
    };
    let id = enqueue(&db.pool, &probe).await;
    wait_for_state(&db.pool, &id, "failed", WAIT).await;
    let detail = jobs::admin::show(&db.pool, &id)
        .await
        .expect("show")
        .expect("kept");
    assert_eq!(
        detail.attempts, 1,
        "not retried: a unique violation cannot go away"
    );
    let error = detail
        .last_result
        .map(|r| r.to_string())
        .unwrap_or_default();
    assert!(
        error.contains("breaks a rule of the schema") && error.contains("duplicate key"),
        "{error}"
    );
}

#[tokio::test]
pub(crate) async fn a_job_out_of_attempts_is_kept_then_retried_from_the_cli_and_audited() {
    let db = TestDb::new().await;
    let _worker = worker(&db, "all");
    // Three failures use up all three attempts; the fourth execution would succeed.
    let id = enqueue(
        &db.pool,
        &script(
            "stubborn",
            ProbeScript {
                failures: 3,
                ..Default::default()
            },
        ),
    )
    .await;
    wait_for_state(&db.pool, &id, "failed", WAIT).await;
    assert_eq!(runs(&db.pool, &id).await, (3, 0));

    let (ok, stdout, stderr) = db.run(&["jobs", "list", "--status", "failed"], &[]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains(&id), "failed job listed: {stdout}");

    let (ok, stdout, stderr) = db.run(&["jobs", "retry", &id], &[]);
    assert!(ok, "retry failed: {stderr}");
    assert!(stdout.contains("queued to run again"), "{stdout}");
    wait_for_state(&db.pool, &id, "done", WAIT).await;
    assert_eq!(runs(&db.pool, &id).await, (4, 1));

    let (ok, _, stderr) = db.run(&["jobs", "retry", &id], &[]);
    assert!(!ok, "a done job cannot be retried");
    assert!(stderr.contains("only failed or retrying jobs"), "{stderr}");

    let audit: (String, String, serde_json::Value) = eventually("audit row", WAIT, || async {
        sqlx::query_as("SELECT actor, action, before FROM audit_log WHERE entity_id = $1")
            .bind(&id)
            .fetch_optional(&db.pool)
            .await
            .expect("audit")
    })
    .await;
    assert!(audit.0.starts_with("cli:"), "actor {}", audit.0);
    assert_eq!(audit.1, "job.retry");
    assert_eq!(audit.2["state"], "failed", "before is the failed job");
}

#[tokio::test]
pub(crate) async fn discard_removes_a_failed_job_and_audits_it() {
    let db = TestDb::new().await;
    let _worker = worker(&db, "all");
    let id = enqueue(
        &db.pool,
        &script(
            "discard-me",
            ProbeScript {
                permanent: true,
                ..Default::default()
            },
        ),
    )
    .await;
    wait_for_state(&db.pool, &id, "failed", WAIT).await;
    let (ok, _, stderr) = db.run(&["jobs", "discard", &id], &[]);
    assert!(ok, "{stderr}");
    assert_eq!(crate::support::job_state(&db.pool, &id).await, None);
    let action: String = eventually("discard audit row", WAIT, || async {
        sqlx::query_scalar("SELECT action FROM audit_log WHERE entity_id = $1")
            .bind(&id)
            .fetch_optional(&db.pool)
            .await
            .expect("audit")
    })
    .await;
    assert_eq!(action, "job.discard");
    let (ok, _, stderr) = db.run(&["jobs", "discard", "01JUNKJUNKJUNKJUNKJUNKJUNK"], &[]);
    assert!(!ok);
    assert!(stderr.contains("no job with id"), "{stderr}");
}

#[tokio::test]
pub(crate) async fn a_snooze_uses_no_attempt() {
    let db = TestDb::new().await;
    let _worker = worker(&db, "diagnostic");
    // Four snoozes and two failures: six executions that did not complete, with only three
    // attempts. Only the two failures may count, so the job must still succeed.
    let probe = script(
        "snoozy",
        ProbeScript {
            snoozes: 4,
            snooze_ms: 100,
            failures: 2,
            ..Default::default()
        },
    );
    let id = enqueue(&db.pool, &probe).await;
    wait_for_state(&db.pool, &id, "done", WAIT).await;
    assert_eq!(runs(&db.pool, &id).await, (7, 1));
}

#[tokio::test]
pub(crate) async fn a_panicking_job_is_retried_and_the_worker_lives_on() {
    let db = TestDb::new().await;
    let worker = worker(&db, "diagnostic");
    let id = enqueue(
        &db.pool,
        &script(
            "panicky",
            ProbeScript {
                panics: 1,
                ..Default::default()
            },
        ),
    )
    .await;
    wait_for_state(&db.pool, &id, "done", WAIT).await;
    assert_eq!(runs(&db.pool, &id).await, (2, 1));
    assert!(worker.output().contains("handler panicked"), "panic logged");
}

#[tokio::test]
pub(crate) async fn a_job_of_a_killed_worker_is_rescued_and_completed_exactly_once() {
    let db = TestDb::new().await;
    let mut doomed = worker(&db, "diagnostic");
    wait_for_workers(&db.pool, "diagnostic", 1).await;
    let id = enqueue(
        &db.pool,
        &script(
            "crash",
            ProbeScript {
                sleep_ms: 2_000,
                ..Default::default()
            },
        ),
    )
    .await;
    eventually("the job to start", WAIT, || async {
        (runs(&db.pool, &id).await.0 == 1).then_some(())
    })
    .await;
    doomed.sigkill();
    let _rescuer = worker(&db, "diagnostic");
    wait_for_state(&db.pool, &id, "done", WAIT).await;
    let (executions, completed) = runs(&db.pool, &id).await;
    assert_eq!(completed, 1, "completed exactly once");
    assert_eq!(
        executions, 2,
        "started by the killed worker, then by the rescuer"
    );
    let workers: i64 = sqlx::query_scalar("SELECT count(DISTINCT substring(worker from '-([0-9]+)-[a-z]+-[0-9]+-r[0-9]+$')) FROM probe_runs WHERE job_id = $1")
        .bind(&id)
        .fetch_one(&db.pool)
        .await
        .expect("workers");
    assert_eq!(workers, 2, "two different processes ran it");
}

#[tokio::test]
pub(crate) async fn a_job_whose_workers_keep_dying_ends_failed() {
    let db = TestDb::new().await;
    let id = enqueue(&db.pool, &script("poison", ProbeScript::default())).await;
    // As after three rescues from dead workers: pending again, every attempt used.
    sqlx::query("UPDATE apalis.jobs SET attempts = max_attempts WHERE id = $1")
        .bind(&id)
        .execute(&db.pool)
        .await
        .expect("use up attempts");
    let _worker = worker(&db, "diagnostic");
    wait_for_state(&db.pool, &id, "failed", WAIT).await;
    assert_eq!(
        runs(&db.pool, &id).await,
        (0, 0),
        "the handler never ran again"
    );
    let detail = jobs::admin::show(&db.pool, &id)
        .await
        .expect("show")
        .expect("kept");
    let error = detail
        .last_result
        .map(|r| r.to_string())
        .unwrap_or_default();
    assert!(error.contains("kept dying"), "{error}");
}

#[tokio::test]
pub(crate) async fn two_worker_processes_never_run_the_same_job() {
    let db = TestDb::new().await;
    let _a = worker(&db, "diagnostic");
    let _b = worker(&db, "diagnostic");
    wait_for_workers(&db.pool, "diagnostic", 2).await;
    let probes: Vec<Probe> = (0..2_000)
        .map(|_| Probe {
            label: "shared".to_owned(),
            mode: ProbeMode::WriteRow,
            key: None,
        })
        .collect();
    assert_eq!(
        jobs::enqueue_bulk(&db.pool, &probes).await.expect("bulk"),
        2_000
    );
    eventually("all 2000 jobs done", Duration::from_secs(60), || async {
        let done = db
            .scalar("SELECT count(*) FROM apalis.jobs WHERE status = 'Done'")
            .await;
        (done == 2_000).then_some(())
    })
    .await;
    let (rows, distinct, processes): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT job_id), count(DISTINCT substring(worker from '-([0-9]+)-[a-z]+-[0-9]+-r[0-9]+$')) FROM probe_runs",
    )
    .fetch_one(&db.pool)
    .await
    .expect("runs");
    assert_eq!(rows, 2_000, "every job ran exactly once");
    assert_eq!(distinct, 2_000);
    assert_eq!(processes, 2, "both processes took jobs");
}

#[tokio::test]
pub(crate) async fn a_periodic_job_runs_once_per_period_with_two_workers() {
    let db = TestDb::new().await;
    let fast = [("MAINTENANCE_EVERY", "1s"), ("TELEMETRY_FLUSH_EVERY", "1s")];
    let _a = db.spawn(&["worker", "--queues", "system"], &fast);
    let _b = db.spawn(&["worker", "--queues", "system"], &fast);
    let slots: Vec<(i64, i64, i32)> = eventually("six sweep periods", WAIT, || async {
        let slots: Vec<(i64, i64, i32)> = sqlx::query_as(
            r#"SELECT split_part(idempotency_key, ':', 2)::bigint AS slot, count(*), max(attempts)
               FROM apalis.jobs
               WHERE idempotency_key LIKE 'maintenance.sweep:%' AND status = 'Done'
               GROUP BY 1 ORDER BY 1"#,
        )
        .fetch_all(&db.pool)
        .await
        .expect("slots");
        (slots.len() >= 6).then_some(slots)
    })
    .await;
    for (slot, count, attempts) in &slots {
        assert_eq!(*count, 1, "slot {slot} has one job");
        assert_eq!(*attempts, 1, "slot {slot} ran once");
    }
    let first = slots[0].0;
    let last = slots[slots.len() - 1].0;
    assert_eq!(
        last - first + 1,
        slots.len() as i64,
        "no period skipped: {slots:?}"
    );
}

#[tokio::test]
pub(crate) async fn graceful_shutdown_finishes_in_flight_jobs() {
    let db = TestDb::new().await;
    let mut worker = worker(&db, "diagnostic");
    let id = enqueue(
        &db.pool,
        &script(
            "slow",
            ProbeScript {
                sleep_ms: 1_500,
                ..Default::default()
            },
        ),
    )
    .await;
    eventually("the job to start", WAIT, || async {
        (runs(&db.pool, &id).await.0 == 1).then_some(())
    })
    .await;
    worker.sigterm();
    let status = worker.exit_status(Duration::from_secs(15)).await;
    assert!(
        status.success(),
        "clean exit: {status:?}\n{}",
        worker.output()
    );
    assert_eq!(
        crate::support::job_state(&db.pool, &id).await.as_deref(),
        Some("done")
    );
    assert_eq!(
        runs(&db.pool, &id).await,
        (1, 1),
        "finished by the stopping worker"
    );
}

#[tokio::test]
pub(crate) async fn two_workers_on_one_host_share_the_default_address_without_a_setting() {
    let db = TestDb::new().await;
    let bind = format!("127.0.0.1:{}", crate::browser::free_port());
    let env = [("HTTP_BIND", bind.as_str())];
    let first = db.spawn(&["worker", "--queues", "diagnostic"], &env);
    wait_for_workers(&db.pool, "diagnostic", 1).await;
    let second = db.spawn(&["worker", "--queues", "diagnostic"], &env);
    eventually("the second worker on a free port", WAIT, || async {
        second
            .output()
            .contains("HTTP_BIND is taken by another process on this host")
            .then_some(())
    })
    .await;
    wait_for_workers(&db.pool, "diagnostic", 2).await;
    let health = reqwest::get(format!("http://{bind}/health"))
        .await
        .expect("the first worker answers on HTTP_BIND");
    assert_eq!(health.status(), 200);
    let ids = [
        enqueue(&db.pool, &script("one", ProbeScript::default())).await,
        enqueue(&db.pool, &script("two", ProbeScript::default())).await,
    ];
    for id in &ids {
        wait_for_state(&db.pool, id, "done", WAIT).await;
    }
    drop((first, second));
}
