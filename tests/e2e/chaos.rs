//! Chaos: purchases go on while worker processes are SIGKILLed and replaced at random moments
//! and a fifth of Telegram calls fail at random with 429 or 5xx; afterwards every paid order was delivered exactly once,
//! in order in its chat, nothing was oversold, and `reconcile` finds nothing. BAO_LONG_TESTS=1
//! runs the long version: 200 purchases and up to 30 kills.

use std::time::Duration;

use rand::Rng;

use crate::chat::{Customer, WAIT};
use crate::payments::{StandIns, with_cart};
use crate::reconcile::assert_reconciled;
use crate::seed::product;
use crate::support::{TestDb, long};

#[tokio::test]
async fn purchases_survive_killed_workers_and_a_flaky_telegram() {
    let (count, most_kills, within) = if long() {
        (200, 30, Duration::from_secs(900))
    } else {
        (20, 6, Duration::from_secs(120))
    };
    let stock = count + 10;
    let db = TestDb::new().await;
    let canva = product(&db.pool, "CANVA", "Canva", 5_000, stock as usize).await;
    let wired = StandIns::start().await;
    let (api, pakasir) = (&wired.api, &wired.pakasir);
    let mut env = wired.env();
    env.extend_from_slice(&[
        ("JOB_BACKOFF_BASE", "50ms"),
        ("JOB_BACKOFF_MAX", "500ms"),
        ("JOB_HEARTBEAT", "500ms"),
        ("JOB_RESCUE_AFTER", "2s"),
    ]);
    let mut ingress_env = env.to_vec();
    ingress_env.push(("HTTP_BIND", wired.bind.as_str()));
    let _ingress = db.spawn(&["ingress"], &ingress_env);
    let mut workers: Vec<_> = (0..2).map(|_| db.spawn(&["worker"], &env)).collect();
    let mut customers = Vec::new();
    for n in 0..count {
        let mut customer = Customer::new(api, 7000 + n, "Chaos", "id");
        with_cart(&db.pool, &mut customer, canva, 1).await;
        customers.push(customer);
    }
    // Telegram turns flaky (a fifth of all calls fail with 429 or 500), then everyone pays.
    api.flaky(0.2);
    for customer in &mut customers {
        customer.press("pay:qris:7");
    }
    // Pay every invoice as it appears, and kill a worker now and then, until all is delivered.
    let deadline = tokio::time::Instant::now() + within;
    let mut kills = 0;
    loop {
        // A few payments per round, so the kills land in the middle of the flow.
        let unpaid: Vec<String> = pakasir
            .transactions()
            .into_iter()
            .filter(|(_, t)| t.status == "pending")
            .map(|(order, _)| order)
            .take(3)
            .collect();
        for order in unpaid {
            let _ = pakasir.pay(&order).await;
        }
        let delivered = db
            .scalar("SELECT count(*) FROM orders WHERE status = 'delivered'")
            .await;
        if delivered == count {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {delivered} of {count} delivered after {kills} kills"
        );
        if kills < most_kills {
            let victim = rand::rng().random_range(0..workers.len());
            workers[victim].sigkill();
            workers[victim] = db.spawn(&["worker"], &env);
            kills += 1;
        }
        // Pacing the chaos (not waiting for a condition): a kill every ~half second.
        tokio::time::sleep(Duration::from_millis(rand::rng().random_range(200..800))).await;
    }
    assert!(
        kills >= 4,
        "the workers were killed mid-flow ({kills} times)"
    );
    api.flaky(0.0);
    let refused = api.calls().iter().filter(|c| !c.ok).count();
    assert!(
        refused >= 10,
        "Telegram really was flaky ({refused} calls refused)"
    );
    db.until(
        "every message sent",
        WAIT,
        "SELECT count(*) FROM telegram_outbox WHERE status = 'pending'",
        0,
    )
    .await;
    for customer in &customers {
        let calls = customer.delivered();
        let goods: Vec<usize> = calls
            .iter()
            .enumerate()
            .filter(|(_, c)| c.text().is_some_and(|t| t.contains("CANVA-secret")))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            goods.len(),
            1,
            "customer {} got the goods once",
            customer.id
        );
        // A payment can beat its invoice photo (the photo is then never sent); when the photo
        // went out, it went before the goods.
        if let Some(invoice) = calls.iter().position(|c| c.method == "sendphoto") {
            assert!(invoice < goods[0], "the invoice came before the goods");
        }
    }
    let (sold, available): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE state = 'sold'), count(*) FILTER (WHERE state = 'available')
         FROM product_contents",
    )
    .fetch_one(&db.pool)
    .await
    .expect("stock");
    assert_eq!((sold, available), (count, stock - count));
    assert_reconciled(&db.pool).await;
    // A worker killed between Telegram applying an edit and the cursor recording it repeats
    // that edit on rescue ("not modified", taken as done): at most its in-flight calls (16
    // jobs at once per worker). Calls inside a retry_after and over a rate limit stay
    // forbidden (checked when the stand-in is dropped).
    let repeated = api.forgive_repeated_edits();
    assert!(
        repeated <= kills * 16,
        "{repeated} repeated edits after {kills} kills"
    );
}
