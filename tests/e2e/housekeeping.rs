//! The system jobs: audit rows and files, telemetry flushes, retention of finished jobs.

use std::time::Duration;

use chrono::Utc;
use jobs::catalogue::{AuditWrite, Probe, ProbeMode};

use crate::queue::{WAIT, worker};
use crate::support::{TestDb, eventually, wait_for_state};

#[tokio::test]
async fn audit_write_puts_a_row_and_a_file_line() {
    let db = TestDb::new().await;
    let _worker = worker(&db, "system");
    let entry = AuditWrite {
        at: Utc::now(),
        actor: "tg:1001".to_owned(),
        action: "product.update".to_owned(),
        entity_type: "product".to_owned(),
        entity_id: Some("7".to_owned()),
        before: Some(serde_json::json!({ "price": 10_000 })),
        after: Some(serde_json::json!({ "price": 12_000, "name": "<b>Netflix</b> & co" })),
    };
    let id = jobs::enqueue(&db.pool, &entry)
        .await
        .expect("enqueue")
        .expect("new");
    wait_for_state(&db.pool, &id, "done", WAIT).await;
    let (actor, after): (String, serde_json::Value) =
        sqlx::query_as("SELECT actor, after FROM audit_log WHERE job_id = $1")
            .bind(&id)
            .fetch_one(&db.pool)
            .await
            .expect("row");
    assert_eq!(actor, "tg:1001");
    assert_eq!(after["price"], 12_000);
    let file = db
        .log_dir()
        .join("audit")
        .join(format!("{}.log", entry.at.format("%Y-%m-%d")));
    let text = std::fs::read_to_string(&file).expect("audit file");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["action"], "product.update");
    assert_eq!(lines[0]["after"]["name"], "<b>Netflix</b> & co");
}

#[tokio::test]
async fn telemetry_flush_adds_and_never_overwrites() {
    let db = TestDb::new().await;
    let _worker = db.spawn(
        &["worker", "--queues", "system"],
        &[("TELEMETRY_FLUSH_EVERY", "1s")],
    );
    let value = |metric: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT value FROM telemetry_daily WHERE metric = $1")
                .bind(metric)
                .fetch_optional(&pool)
                .await
                .expect("read")
        }
    };
    workers::telemetry::record(&db.pool, "orders.paid", 2)
        .await
        .expect("record");
    workers::telemetry::record(&db.pool, "orders.paid", 3)
        .await
        .expect("record");
    eventually("5 orders counted", WAIT, || async {
        (value("orders.paid").await == Some(5)).then_some(())
    })
    .await;
    workers::telemetry::record(&db.pool, "orders.paid", 4)
        .await
        .expect("record");
    eventually("9 orders counted", WAIT, || async {
        (value("orders.paid").await == Some(9)).then_some(())
    })
    .await;
    let rows = db.scalar("SELECT count(*) FROM telemetry_daily").await;
    assert_eq!(rows, 1, "one row per day and metric");
    let leftover = db.scalar("SELECT count(*) FROM telemetry_events").await;
    assert_eq!(leftover, 0);
}

#[tokio::test]
async fn retention_prunes_old_finished_jobs_only() {
    let db = TestDb::new().await;
    let probes: Vec<Probe> = (0..4)
        .map(|_| Probe {
            label: "old".to_owned(),
            mode: ProbeMode::Noop,
            key: None,
        })
        .collect();
    jobs::enqueue_bulk(&db.pool, &probes).await.expect("bulk");
    // Age the rows by hand: two done long ago, one failed long ago, one pending.
    sqlx::raw_sql(
        r#"
        WITH ranked AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM apalis.jobs)
        UPDATE apalis.jobs j SET
            status = CASE n WHEN 1 THEN 'Done' WHEN 2 THEN 'Done' WHEN 3 THEN 'Killed' ELSE 'Pending' END,
            done_at = CASE n WHEN 1 THEN now() - interval '2 days' WHEN 2 THEN now() - interval '1 hour'
                             WHEN 3 THEN now() - interval '15 days' END
        FROM ranked WHERE ranked.id = j.id
        "#,
    )
    .execute(&db.pool)
    .await
    .expect("age rows");
    let retention = workers::maintenance::Retention {
        done: Duration::from_secs(24 * 3600),
        failed: Duration::from_secs(14 * 86400),
    };
    let pruned = workers::maintenance::prune_jobs(&db.pool, retention)
        .await
        .expect("prune");
    assert_eq!(
        pruned, 2,
        "the 2-day-old done job and the 15-day-old failed job"
    );
    let left = db.scalar("SELECT count(*) FROM apalis.jobs").await;
    assert_eq!(left, 2);
}
