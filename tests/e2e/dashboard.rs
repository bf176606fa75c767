//! The web dashboard in headless Chromium (through ChromeDriver): an admin signs in with the
//! one-time link the bot sends, opens the failed jobs, retries one and sees it done; the link
//! does not work twice; forms without the CSRF token and pages without a session are refused.

use fantoccini::Locator;
use jobs::catalogue::ProbeScript;

use crate::browser::{browser, free_port, press, text_of};
use crate::chat::{Customer, WAIT};
use crate::support::{TestDb, eventually, wait_for_state};
use bot_auto_order::standin::telegram::TelegramStandin;

#[tokio::test]
async fn an_admin_signs_in_with_the_bots_link_and_retries_a_failed_job() {
    let db = TestDb::new().await;
    let script = ProbeScript {
        failures: 3,
        ..ProbeScript::default()
    };
    let job = crate::queue::enqueue(&db.pool, &crate::queue::script("dashboard", script)).await;
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
    let mut owner = Customer::new(&api, 777, "Owner", "en");
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
    press(&client, Locator::LinkText("Failed jobs")).await;
    press(&client, Locator::LinkText(&job)).await;
    assert_eq!(text_of(&client, "#state").await, "failed");
    assert!(
        text_of(&client, "#error").await.contains("probe"),
        "its error shown"
    );
    let shown = client
        .find(Locator::Css("#state"))
        .await
        .expect("the job's state");
    press(&client, Locator::Css("#retry")).await;
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
    db.until(
        "the retry audited as the owner",
        WAIT,
        "SELECT count(*) FROM audit_log WHERE action = 'job.retry' AND actor = 'web:tg:777'",
        1,
    )
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
    let again = http
        .get(&url)
        .header("accept-language", "en")
        .send()
        .await
        .expect("the link again");
    assert_eq!(again.status(), 401);
    assert!(
        again
            .text()
            .await
            .unwrap_or_default()
            .contains("used already")
    );
}

/// Revenue is counted on the shop's calendar days: an order paid at 20:00 UTC is paid the
/// next morning in Makassar (UTC+8), and the chart says so, with values on its axis; times on
/// the pages carry the shop's zone.
#[tokio::test]
async fn the_dashboard_counts_days_and_shows_times_in_the_shops_time_zone() {
    use salvo::Service;
    use salvo::test::{ResponseExt, TestClient};

    let db = TestDb::new().await;
    let zone = chrono_tz::Asia::Makassar;
    let paid = chrono::Utc::now()
        .date_naive()
        .and_hms_opt(20, 0, 0)
        .expect("a time")
        .and_utc()
        - chrono::Duration::days(1);
    let user = db
        .scalar("INSERT INTO users (telegram_id, first_name) VALUES (5150, 'Budi') RETURNING id")
        .await;
    sqlx::query(
        r#"INSERT INTO orders (public_id, user_id, status, payment_method, subtotal, total, paid_at)
           VALUES ('INV-ZONE-1', $1, 'paid', 'balance', 35000, 35000, $2)"#,
    )
    .bind(user)
    .bind(paid)
    .execute(&db.pool)
    .await
    .expect("a paid order");
    let service = Service::new(bot_auto_order::ingress::router(
        db.pool.clone(),
        bot_auto_order::ingress::Hooks {
            dashboard: Some("t0ken".to_owned().into()),
            timezone: zone,
            ..bot_auto_order::ingress::Hooks::default()
        },
    ));
    let signed_in = TestClient::post("http://127.0.0.1/dashboard/login")
        .form(&[("token", "t0ken")])
        .send(&service)
        .await;
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    // Signed in with the token (no admin of the bot): the browser's language.
    let mut page = TestClient::get("http://127.0.0.1/dashboard")
        .add_header("cookie", cookie.as_str(), true)
        .send(&service)
        .await;
    let html = page.take_string().await.expect("the overview");
    assert!(
        html.contains("Pendapatan per hari (14 hari, Asia/Makassar)"),
        "Indonesian without an English browser: {html}"
    );
    let mut page = TestClient::get("http://127.0.0.1/dashboard")
        .add_header("cookie", cookie.as_str(), true)
        .add_header("accept-language", "en-US,en;q=0.9", true)
        .send(&service)
        .await;
    let html = page.take_string().await.expect("the overview");
    assert!(
        html.contains("Revenue per day (14 days, Asia/Makassar)"),
        "{html}"
    );
    let local_day = paid.with_timezone(&zone).format("%m-%d").to_string();
    assert!(
        html.contains(&format!("<title>{local_day}: 35000 Rp</title>")),
        "the order counts on {local_day} in Makassar: {html}"
    );
    assert!(html.contains("class=\"axis\""), "values on the axis");
    assert!(
        html.contains(">35.000 Rp</text>"),
        "the scale's top: {html}"
    );
    let mut orders = TestClient::get("http://127.0.0.1/dashboard/orders")
        .add_header("cookie", cookie.as_str(), true)
        .send(&service)
        .await;
    let html = orders.take_string().await.expect("the orders");
    let shown = paid
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M:%S WITA")
        .to_string();
    assert!(html.contains(&shown), "{shown} in {html}");
}
