//! What the owners are told without asking: failed jobs (once, and when they are gone) and errors logged by any process.

use jobs::catalogue::ProbeScript;

use crate::admin::{OWNER, next_containing, owner_shop};
use crate::chat::{Customer, WAIT};
use crate::seed::settled;
use crate::support::{TestDb, eventually, wait_for_state};

/// Sweeps finished so far.
pub(crate) async fn sweeps(db: &TestDb) -> i64 {
    db.scalar(
        "SELECT count(*) FROM apalis.jobs WHERE status = 'Done'
           AND convert_from(job, 'UTF8')::jsonb->>'kind' = 'maintenance.sweep'",
    )
    .await
}

#[tokio::test]
pub(crate) async fn owners_hear_about_failed_jobs_once_and_when_they_are_gone() {
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[("MAINTENANCE_EVERY", "1s")]).await;
    // An owner whose Telegram speaks English reads the alerts in English.
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.say("/start");
    next_containing(&mut owner, "Welcome to").await;
    let script = ProbeScript {
        permanent: true,
        ..ProbeScript::default()
    };
    let id = crate::queue::enqueue(&db.pool, &crate::queue::script("doomed", script)).await;
    wait_for_state(&db.pool, &id, "failed", WAIT).await;
    let alert = next_containing(&mut owner, "failed job(s)").await;
    assert!(
        alert.contains("<b>1 failed job(s)</b>") && alert.contains("diagnostic.probe"),
        "{alert}"
    );
    // Later sweeps see the same failure: no news, no message.
    let seen = sweeps(&db).await;
    eventually("three more sweeps", WAIT, || async {
        (sweeps(&db).await >= seen + 3).then_some(())
    })
    .await;
    settled(&db.pool).await;
    let alerts = |owner: &Customer| {
        owner
            .delivered()
            .iter()
            .filter(|c| c.text().unwrap_or("").contains("failed job(s)"))
            .count()
    };
    assert_eq!(alerts(&owner), 1, "alerted once");
    sqlx::query("DELETE FROM apalis.jobs WHERE id = $1")
        .bind(&id)
        .execute(&db.pool)
        .await
        .expect("discard");
    next_containing(&mut owner, "No failed jobs are left").await;
    assert_eq!(alerts(&owner), 1);
}

#[tokio::test]
pub(crate) async fn owners_hear_about_errors_logged_by_any_process() {
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[("MAINTENANCE_EVERY", "1s")]).await;
    // An owner who never wrote to the bot reads the alerts in the shop's Indonesian.
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    // Telegram refuses the customer's greeting: the send job logs an error.
    api.fail(
        Some("sendMessage"),
        bot_auto_order::standin::telegram::Fault::BadRequest("can't parse entities".to_owned()),
        1,
    );
    let ana = Customer::new(&api, 1001, "Ana", "id");
    ana.say("/start");
    let alert = next_containing(&mut owner, "error tercatat hari ini").await;
    assert!(alert.contains("error tercatat hari ini</b>"), "{alert}");
}
