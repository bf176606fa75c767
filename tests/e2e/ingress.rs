//! The HTTP ingress skeleton: liveness and readiness.

use std::time::{Duration, Instant};

use salvo::Service;
use salvo::test::{ResponseExt, TestClient};
use tokio_util::sync::CancellationToken;

use crate::support::TestDb;

#[tokio::test]
async fn ready_turns_503_when_the_database_is_gone() {
    let db = TestDb::new().await;
    let acceptor = bot_auto_order::ingress::bind("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind");
    let addr = acceptor.local_addr().expect("addr");
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(bot_auto_order::ingress::serve(
        acceptor,
        db.pool.clone(),
        bot_auto_order::ingress::Hooks::default(),
        shutdown.clone(),
    ));
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("http://{addr}{path}")).send();

    let health = get("/health").await.expect("health");
    assert_eq!(health.status(), 200);

    let ready = get("/ready").await.expect("ready");
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.expect("json");
    assert_eq!(body["status"], "ready");
    assert_eq!(body["migrations"], "applied");

    db.drop_database().await;
    let started = Instant::now();
    let ready = get("/ready").await.expect("ready");
    let took = started.elapsed();
    assert_eq!(ready.status(), 503);
    assert!(took < Duration::from_millis(1500), "answered in {took:?}");
    let body: serde_json::Value = ready.json().await.expect("json");
    assert_eq!(body["status"], "unavailable");
    assert!(
        body["reason"].as_str().unwrap_or("").contains("database"),
        "{body}"
    );

    let health = get("/health").await.expect("health");
    assert_eq!(health.status(), 200, "alive without the database");

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("ingress stops on shutdown")
        .expect("ingress task");
}

#[tokio::test]
async fn ready_reports_the_oldest_pending_job() {
    let db = TestDb::new().await;
    let probe = jobs::catalogue::Probe {
        label: "waiting".to_owned(),
        mode: jobs::catalogue::ProbeMode::Noop,
        key: None,
    };
    let past = chrono::Utc::now() - chrono::Duration::seconds(90);
    jobs::enqueue_at(&db.pool, &probe, past)
        .await
        .expect("enqueue");
    let service = Service::new(bot_auto_order::ingress::router(
        db.pool.clone(),
        bot_auto_order::ingress::Hooks::default(),
    ));
    let mut response = TestClient::get("http://127.0.0.1/ready")
        .send(&service)
        .await;
    assert_eq!(response.status_code.map(|s| s.as_u16()), Some(200));
    let body: serde_json::Value = response.take_json().await.expect("json");
    let age = body["oldest_pending_job_secs"].as_f64().expect("age");
    assert!(age >= 89.0, "oldest pending job is {age}s old");
}

#[tokio::test]
async fn metrics_show_the_queue_the_shop_and_this_process_behind_a_token() {
    let db = TestDb::new().await;
    sqlx::query(
        r#"WITH u AS (INSERT INTO users (telegram_id, first_name) VALUES (1001, 'Ana') RETURNING id)
           INSERT INTO orders (public_id, user_id, status, payment_method, subtotal, total, paid_at)
           SELECT 'INV-M', id, 'delivered', 'balance', 20000, 20000, now() FROM u"#,
    )
    .execute(&db.pool)
    .await
    .expect("an order");
    let probe = jobs::catalogue::Probe {
        label: "waiting".to_owned(),
        mode: jobs::catalogue::ProbeMode::Noop,
        key: None,
    };
    jobs::enqueue(&db.pool, &probe).await.expect("enqueue");
    let service = Service::new(bot_auto_order::ingress::router(
        db.pool.clone(),
        bot_auto_order::ingress::Hooks {
            metrics: Some("s3cret".to_owned().into()),
            ..bot_auto_order::ingress::Hooks::default()
        },
    ));
    let refused = TestClient::get("http://127.0.0.1/metrics")
        .send(&service)
        .await;
    assert_eq!(refused.status_code.map(|s| s.as_u16()), Some(401));
    let malformed = TestClient::post("http://127.0.0.1/webhooks/pakasir")
        .raw_json("{not json")
        .send(&service)
        .await;
    assert_eq!(malformed.status_code.map(|s| s.as_u16()), Some(400));
    let mut response = TestClient::get("http://127.0.0.1/metrics")
        .add_header("authorization", "Bearer s3cret", true)
        .send(&service)
        .await;
    assert_eq!(response.status_code.map(|s| s.as_u16()), Some(200));
    let body = response.take_string().await.expect("text");
    for line in [
        "bao_database_up 1",
        "bao_jobs{queue=\"diagnostic\",state=\"pending\"} 1",
        "bao_orders{status=\"delivered\"} 1",
        "bao_orders_paid_total 1",
        "bao_revenue_rupiah_total 20000",
        "bao_webhooks_total{source=\"pakasir\",status=\"400\"}",
        "# TYPE bao_job_oldest_pending_seconds gauge",
        "process_resident_memory_bytes",
    ] {
        assert!(body.contains(line), "{line} missing from:\n{body}");
    }
}
