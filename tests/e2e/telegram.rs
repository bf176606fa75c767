//! Talking to Telegram: ordered batches with cursors, flood control, blocked customers, bad
//! messages, edits that no longer apply — against the stand-in Bot API.

use std::time::Duration;

use base64::Engine;
use bot_auto_order::standin::telegram::{Fault, TelegramStandin};
use workers::ui::{Button, Keyboard, Outgoing, Photo};

use crate::support::{Proc, TestDb, eventually};

const WAIT: Duration = Duration::from_secs(30);

fn sender(db: &TestDb, api: &TelegramStandin) -> Proc {
    db.spawn(
        &["worker", "--queues", "telegram"],
        &[
            ("TELEGRAM_BOT_TOKEN", "123:TEST"),
            ("TELEGRAM_API_URL", &api.url),
        ],
    )
}

async fn push(db: &TestDb, chat: i64, messages: Vec<Outgoing>) -> i64 {
    let mut tx = db.pool.begin().await.expect("begin");
    let batch = workers::telegram::push(&mut tx, chat, messages)
        .await
        .expect("push");
    tx.commit().await.expect("commit");
    batch
}

async fn batch_status(db: &TestDb, batch: i64) -> String {
    sqlx::query_scalar("SELECT status FROM telegram_outbox WHERE id = $1")
        .bind(batch)
        .fetch_one(&db.pool)
        .await
        .expect("status")
}

async fn send_job_state(db: &TestDb, batch: i64) -> Option<String> {
    sqlx::query_scalar(
        "SELECT job_state(status, run_at, attempts, max_attempts) FROM apalis.jobs WHERE idempotency_key = $1",
    )
    .bind(format!("telegram.send:{batch}"))
    .fetch_optional(&db.pool)
    .await
    .expect("job")
}

#[tokio::test]
async fn a_chats_messages_go_out_in_order_through_a_429_storm_without_using_attempts() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    api.fail(Some("sendMessage"), Fault::RetryAfter(1), 4);
    let _a = sender(&db, &api);
    let _b = sender(&db, &api);
    for batch in 0..5 {
        let messages = (0..3)
            .map(|m| Outgoing::text(format!("b{batch}-m{m}")))
            .collect();
        push(&db, 1001, messages).await;
    }
    api.wait_for("15 messages to chat 1001", WAIT, |calls| {
        calls
            .iter()
            .filter(|c| c.ok && c.chat_id == Some(1001))
            .count()
            == 15
    })
    .await;
    let texts: Vec<String> = api
        .delivered_to(1001)
        .iter()
        .filter_map(|c| c.text().map(str::to_owned))
        .collect();
    let expected: Vec<String> = (0..5)
        .flat_map(|b| (0..3).map(move |m| format!("b{b}-m{m}")))
        .collect();
    assert_eq!(texts, expected, "in order, each once");
    let refused = api.calls().iter().filter(|c| !c.ok).count();
    assert_eq!(refused, 4, "the storm happened");
    db.until(
        "every send job done",
        WAIT,
        "SELECT count(*) FROM apalis.jobs WHERE job_type = 'telegram' AND status <> 'Done'",
        0,
    )
    .await;
    // attempts - snoozes (each snooze raised max_attempts above its 10) = attempts really used.
    let used: Vec<i32> = sqlx::query_scalar(
        "SELECT attempts - (max_attempts - 10) FROM apalis.jobs WHERE job_type = 'telegram'",
    )
    .fetch_all(&db.pool)
    .await
    .expect("attempts");
    assert!(
        used.iter().all(|&u| u <= 1),
        "snoozes used no attempt: {used:?}"
    );
    api.assert_clean();
}

#[tokio::test]
async fn a_blocked_customer_is_an_expected_state_not_a_failed_job() {
    let db = TestDb::new().await;
    sqlx::query("INSERT INTO users (telegram_id, first_name) VALUES (2002, 'Blocked')")
        .execute(&db.pool)
        .await
        .expect("user");
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    api.fail(Some("sendMessage"), Fault::Blocked, 1);
    let _worker = sender(&db, &api);
    let batch = push(
        &db,
        2002,
        vec![Outgoing::text("one"), Outgoing::text("two")],
    )
    .await;
    eventually("the send job to end", WAIT, || async {
        (send_job_state(&db, batch).await.as_deref() == Some("done")).then_some(())
    })
    .await;
    assert_eq!(batch_status(&db, batch).await, "unreachable");
    let failed = db.scalar("SELECT count(*) FROM apalis.jobs WHERE job_state(status, run_at, attempts, max_attempts) = 'failed'").await;
    assert_eq!(failed, 0, "no failed job for an owner to be paged about");
    let unreachable: bool =
        sqlx::query_scalar("SELECT unreachable_at IS NOT NULL FROM users WHERE telegram_id = 2002")
            .fetch_one(&db.pool)
            .await
            .expect("user");
    assert!(unreachable);
    // Another chat's message going out proves the worker moved on without retrying.
    push(&db, 3003, vec![Outgoing::text("hello")]).await;
    api.wait_for("the other chat's message", WAIT, |calls| {
        calls.iter().any(|c| c.ok && c.chat_id == Some(3003))
    })
    .await;
    let tries = api
        .calls()
        .iter()
        .filter(|c| c.chat_id == Some(2002))
        .count();
    assert_eq!(tries, 1, "tried once, never again");
    api.assert_clean();
}

#[tokio::test]
async fn a_rejected_message_fails_its_batch_and_later_batches_still_go() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    api.fail(
        Some("sendMessage"),
        Fault::BadRequest("can't parse entities".to_owned()),
        1,
    );
    let _worker = sender(&db, &api);
    let bad = push(&db, 4004, vec![Outgoing::text("<b>broken")]).await;
    push(&db, 4004, vec![Outgoing::text("fine")]).await;
    api.wait_for("the later message", WAIT, |calls| {
        calls.iter().any(|c| c.ok && c.text() == Some("fine"))
    })
    .await;
    assert_eq!(batch_status(&db, bad).await, "failed");
    eventually("the bad batch's job to fail", WAIT, || async {
        (send_job_state(&db, bad).await.as_deref() == Some("failed")).then_some(())
    })
    .await;
    api.assert_clean();
}

#[tokio::test]
async fn edits_and_deletes_that_no_longer_apply_count_as_done() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    api.fail(
        Some("editMessageText"),
        Fault::BadRequest(
            "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message".to_owned(),
        ),
        1,
    );
    api.fail(
        Some("deleteMessage"),
        Fault::BadRequest("message to delete not found".to_owned()),
        1,
    );
    let _worker = sender(&db, &api);
    let batch = push(
        &db,
        5005,
        vec![
            Outgoing::EditText {
                message_id: 7,
                text: "same".to_owned(),
                buttons: None,
            },
            Outgoing::Delete { message_id: 8 },
            Outgoing::text("after"),
        ],
    )
    .await;
    api.wait_for("the message after", WAIT, |calls| {
        calls.iter().any(|c| c.ok && c.text() == Some("after"))
    })
    .await;
    eventually("the batch to be sent", WAIT, || async {
        (batch_status(&db, batch).await == "sent").then_some(())
    })
    .await;
    api.assert_clean();
}

#[tokio::test]
async fn photos_long_texts_and_keyboards_arrive_as_telegram_expects() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _worker = sender(&db, &api);
    let png = base64::engine::general_purpose::STANDARD.encode([0x89u8, b'P', b'N', b'G', 1, 2, 3]);
    let long = "<b>Kode</b>: <code>ABCD-1234</code>\n".repeat(300);
    push(
        &db,
        6006,
        vec![
            Outgoing::Photo {
                photo: Photo::Png(png),
                caption: "Invoice <b>INV-1</b>".to_owned(),
                keyboard: Some(Keyboard::Inline(vec![vec![
                    Button::url("Bayar", "https://app.pakasir.com/pay/shop/1000"),
                    Button::callback("Batal", "order:cancel:1"),
                ]])),
                track: None,
            },
            Outgoing::text_with(
                long,
                Keyboard::Reply(vec![vec!["🛍 Semua Produk".to_owned()]]),
            ),
        ],
    )
    .await;
    let calls = api
        .wait_for("the photo and the text pieces", WAIT, |calls| {
            calls.iter().filter(|c| c.ok).count() >= 4
        })
        .await;
    let photo = &calls[0];
    assert_eq!(photo.method, "sendphoto");
    assert_eq!(photo.body["caption"], "Invoice <b>INV-1</b>");
    assert!(
        photo.body["photo"]["size"].as_u64().unwrap_or(0) > 0,
        "uploaded: {}",
        photo.body
    );
    assert_eq!(
        photo.body["reply_markup"]["inline_keyboard"][0][1]["callback_data"],
        "order:cancel:1"
    );
    let texts: Vec<_> = calls[1..]
        .iter()
        .filter(|c| c.method == "sendmessage")
        .collect();
    assert!(texts.len() >= 3, "split into {} messages", texts.len());
    for call in &texts {
        let text = call.text().unwrap_or("");
        assert!(text.chars().count() <= 4096);
        assert_eq!(
            text.matches("<code>").count(),
            text.matches("</code>").count()
        );
        assert_eq!(call.body["parse_mode"], "HTML");
    }
    let last = texts
        .last()
        .map(|c| &c.body["reply_markup"])
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        last["keyboard"][0][0]["text"], "🛍 Semua Produk",
        "menu on the last piece"
    );
    api.assert_clean();
}

/// The stand-in holds a chat after a 429 exactly as Telegram does: any call inside the
/// `retry_after` would be a violation.
#[tokio::test]
async fn a_429_holds_every_call_to_that_chat_from_every_job_until_it_passes() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    api.fail(Some("sendMessage"), Fault::RetryAfter(2), 1);
    let _a = sender(&db, &api);
    let _b = sender(&db, &api);
    // Ten separate batches (ten jobs) to one chat at once, as ten paid orders alert an owner.
    for n in 0..10 {
        push(&db, 7007, vec![Outgoing::text(format!("alert {n}"))]).await;
    }
    api.wait_for("ten alerts", Duration::from_secs(60), |calls| {
        calls
            .iter()
            .filter(|c| c.ok && c.chat_id == Some(7007))
            .count()
            == 10
    })
    .await;
    let calls = api.calls_matching(|c| c.chat_id == Some(7007));
    let refused = calls.iter().position(|c| !c.ok).expect("the 429");
    let after = calls[refused + 1].at.duration_since(calls[refused].at);
    assert!(
        after >= Duration::from_secs(2),
        "the next call waited out retry_after: {after:?}"
    );
    // Paced at about one a second after the first burst: ten calls take at least 6 s more.
    let ok: Vec<_> = calls.iter().filter(|c| c.ok).collect();
    let spread = ok[9].at.duration_since(ok[0].at);
    assert!(spread >= Duration::from_secs(6), "paced: {spread:?}");
    api.assert_clean();
}

#[tokio::test]
async fn a_storm_on_every_method_delays_messages_and_loses_none() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _worker = sender(&db, &api);
    api.storm(Duration::from_secs(5), 2);
    for chat in [8001, 8002, 8003, 8004] {
        push(
            &db,
            chat,
            vec![Outgoing::text("first"), Outgoing::text("second")],
        )
        .await;
    }
    api.wait_for("every message once", WAIT, |calls| {
        calls.iter().filter(|c| c.ok).count() == 8
    })
    .await;
    for chat in [8001, 8002, 8003, 8004] {
        let texts: Vec<_> = api
            .delivered_to(chat)
            .iter()
            .filter_map(|c| c.text().map(str::to_owned))
            .collect();
        assert_eq!(texts, ["first", "second"], "chat {chat}");
    }
    api.assert_clean();
}

#[tokio::test]
async fn an_edit_that_would_change_nothing_is_not_sent() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _worker = sender(&db, &api);
    let keyboard = vec![vec![Button::callback("Pay", "pay:1")]];
    push(
        &db,
        9009,
        vec![Outgoing::text_with(
            "summary",
            Keyboard::Inline(keyboard.clone()),
        )],
    )
    .await;
    let sent = api
        .wait_for("the summary", WAIT, |calls| calls.iter().any(|c| c.ok))
        .await;
    let message_id = sent[0].message_id.expect("message id") as i32;
    let same = Outgoing::EditText {
        message_id,
        text: "summary".to_owned(),
        buttons: Some(keyboard),
    };
    push(&db, 9009, vec![same.clone(), same]).await;
    push(
        &db,
        9009,
        vec![Outgoing::EditText {
            message_id,
            text: "summary, changed".to_owned(),
            buttons: None,
        }],
    )
    .await;
    api.wait_for("the changed edit", WAIT, |calls| {
        calls
            .iter()
            .any(|c| c.ok && c.text() == Some("summary, changed"))
    })
    .await;
    let edits = api.calls_matching(|c| c.method == "editmessagetext").len();
    assert_eq!(edits, 1, "only the edit that changes something went out");
    api.assert_clean();
}

#[tokio::test]
async fn edits_of_one_message_that_piled_up_go_out_as_the_last_one() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    // Queued before any worker runs, as a burst of news piles up behind a paced chat.
    for n in 1..=5 {
        push(
            &db,
            9100,
            vec![Outgoing::EditText {
                message_id: 77,
                text: format!("count {n}"),
                buttons: None,
            }],
        )
        .await;
    }
    push(&db, 9100, vec![Outgoing::text("after")]).await;
    let _worker = sender(&db, &api);
    api.wait_for("the message after the edits", WAIT, |calls| {
        calls.iter().any(|c| c.ok && c.text() == Some("after"))
    })
    .await;
    let edits: Vec<String> = api
        .calls_matching(|c| c.method == "editmessagetext")
        .iter()
        .filter_map(|c| c.text().map(str::to_owned))
        .collect();
    assert_eq!(edits, ["count 5"], "only the last edit went out");
}
