//! The web dashboard in headless Chromium (through ChromeDriver): an admin signs in with the
//! one-time link the bot sends, opens the failed jobs, retries one and sees it done; the link
//! does not work twice; forms without the CSRF token and pages without a session are refused.

use fantoccini::Locator;
use jobs::catalogue::{Probe, ProbeMode, ProbeScript};

use crate::browser::{browser, free_port, text_of};
use crate::chat::{Customer, WAIT};
use crate::support::{TestDb, eventually, wait_for_state};
use bot_auto_order::standin::telegram::TelegramStandin;

#[tokio::test]
async fn an_admin_signs_in_with_the_bots_link_and_retries_a_failed_job() {
    let db = TestDb::new().await;
    let probe = Probe {
        label: "dashboard".to_owned(),
        mode: ProbeMode::Script(ProbeScript {
            failures: 3,
            ..ProbeScript::default()
        }),
        key: None,
    };
    let job = jobs::enqueue(&db.pool, &probe)
        .await
        .expect("enqueue")
        .expect("a new job");
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let public = format!("http://127.0.0.1:{port}");
    let _shop = crate::chat::shop(
        &db,
        &api,
        &[
            ("TELEGRAM_OWNER_IDS", "777"),
            ("HTTP_BIND", bind.as_str()),
            ("PUBLIC_URL", public.as_str()),
        ],
    );
    wait_for_state(&db.pool, &job, "failed", WAIT).await;

    // Without a session every page sends you to sign in; a form without a session or its
    // CSRF token changes nothing.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    let bare = eventually("the ingress up", WAIT, || async {
        http.get(format!("{public}/dashboard/jobs"))
            .send()
            .await
            .ok()
    })
    .await;
    assert_eq!(bare.status(), 303);
    let forged = http
        .post(format!("{public}/dashboard/jobs/action"))
        .form(&[("action", "retry"), ("id", job.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 303, "sent to sign in");

    // The owner asks the bot for a link.
    let mut owner = Customer::new(&api, 777, "Owner", "id");
    owner.press("a:dl");
    let message = owner.next("sendmessage").await;
    let url = message.body["reply_markup"]["inline_keyboard"][0][0]["url"]
        .as_str()
        .expect("the link")
        .to_owned();
    assert!(
        url.starts_with(&format!("{public}/dashboard/login/")),
        "{url}"
    );

    let (_driver, client) = browser().await;
    client.goto(&url).await.expect("open the link");
    assert_eq!(text_of(&client, "h1").await, "Overview");
    assert_eq!(
        text_of(&client, "#failed b").await,
        "1",
        "one failed job on the overview"
    );
    client
        .find(Locator::LinkText("Failed jobs"))
        .await
        .expect("the failed jobs link")
        .click()
        .await
        .expect("click");
    client
        .find(Locator::LinkText(&job))
        .await
        .expect("the failed job listed")
        .click()
        .await
        .expect("open the job");
    assert_eq!(text_of(&client, "#state").await, "failed");
    assert!(
        text_of(&client, "#error").await.contains("probe"),
        "its error shown"
    );
    let shown = client
        .find(Locator::Css("#state"))
        .await
        .expect("the job's state");
    client
        .find(Locator::Css("#retry"))
        .await
        .expect("the retry button")
        .click()
        .await
        .expect("retry");
    // The form's answer replaces the page; refreshing before that could cancel the POST.
    eventually("the retry submitted", WAIT, || async {
        shown.text().await.is_err().then_some(())
    })
    .await;
    let state = eventually("the retried job done, as the page shows", WAIT, || async {
        client.refresh().await.ok()?;
        let state = text_of(&client, "#state").await;
        (state == "done").then_some(state)
    })
    .await;
    assert_eq!(state, "done");
    eventually("the retry audited as the owner", WAIT, || async {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'job.retry' AND actor = 'web:tg:777'",
        )
        .fetch_one(&db.pool)
        .await
        .ok()?;
        (n == 1).then_some(())
    })
    .await;
    // The browser's own session, but a form without the CSRF token: refused.
    let cookie = client
        .get_named_cookie("bao_session")
        .await
        .expect("the session cookie");
    let no_csrf = http
        .post(format!("{public}/dashboard/jobs/action"))
        .header("cookie", format!("bao_session={}", cookie.value()))
        .form(&[("action", "discard"), ("id", job.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(no_csrf.status(), 403);
    assert!(
        crate::support::job_state(&db.pool, &job).await.is_some(),
        "the job was not discarded"
    );
    client.close().await.expect("close the browser");

    // The link was for one sign-in.
    let again = http.get(&url).send().await.expect("the link again");
    assert_eq!(again.status(), 401);
    assert!(
        again
            .text()
            .await
            .unwrap_or_default()
            .contains("used already")
    );
}
