//! The admin screens through the stand-in Bot API: the product wizard, stock from a file,
//! leaving a wizard by a menu button, forged admin buttons, marking an order paid by hand,
//! retrying a failed job, and a paced broadcast that survives a crash.

use std::time::Duration;

use jobs::catalogue::ProbeScript;
use sqlx::PgPool;
use workers::bot::admin::callback::{
    AdminCallback, BroadcastPress, CategoryPress, JobPress, OrderPress, ProductPress, StaffPress,
    StockPress, UserPress, VoucherPress, WizardPress,
};

use crate::chat::{Customer, WAIT, button, shop};
use crate::seed::{product, settled};
use crate::support::{TestDb, eventually, wait_for_state};
use bot_auto_order::standin::telegram::TelegramStandin;
use workers::shop::ids::{CategoryId, ContentId, OrderId, ProductId, UserId, VariantId, VoucherId};

pub(crate) const OWNER: i64 = 777;

pub(crate) async fn owner_shop(
    db: &TestDb,
    extra: &[(&str, &str)],
) -> (TelegramStandin, crate::support::Proc) {
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let mut env = vec![("TELEGRAM_OWNER_IDS", "777")];
    env.extend_from_slice(extra);
    let shop = shop(db, &api, &env);
    (api, shop)
}

/// Wait for the next message whose text contains `part`, skipping others.
pub(crate) async fn next_containing(who: &mut Customer, part: &str) -> String {
    loop {
        let text = who.next_text().await;
        if text.contains(part) {
            return text;
        }
    }
}

#[tokio::test]
pub(crate) async fn the_product_wizard_creates_a_product_with_its_contents_as_stock() {
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.say("/admin");
    let home = owner.next("sendmessage").await;
    assert_eq!(
        button(&home, "🛒 Products").as_deref(),
        Some("a:ps:0"),
        "{:?}",
        home.body
    );
    owner.press("a:ps:0");
    let products = owner.next_screen().await;
    let new = button(&products, "➕ New product").expect("new product button");
    owner.press(&new);
    assert!(owner.next_text().await.contains("step 1/7"));
    owner.say("bad code!");
    assert!(owner.next_text().await.contains("not a code"));
    owner.say("NETFLIX1M");
    assert!(owner.next_text().await.contains("Step 2/7"));
    owner.say("Netflix 1 Bulan <Premium>");
    assert!(owner.next_text().await.contains("Step 3/7"));
    owner.say("25.000");
    assert!(owner.next_text().await.contains("Step 4/7"));
    owner.say("Akun sharing, 1 profil");
    let picker = owner.next("sendmessage").await;
    let none = button(&picker, "— Uncategorised").expect("uncategorised button");
    owner.press(&none);
    assert!(owner.next_text().await.contains("Step 6/7"));
    owner.say("acc-1 pass1\nacc-2 pass2\n\nacc-1 pass1");
    let added = owner.next_text().await;
    assert!(added.contains("Added 2; 1 duplicate"), "{added}");
    owner.say("acc-3 pass3");
    assert!(owner.next_text().await.contains("3 content(s) so far"));
    owner.press("a:wf");
    let created = owner.next_text().await;
    assert!(created.contains("created with stock <b>3</b>"), "{created}");
    assert!(
        created.contains("&lt;Premium&gt;"),
        "names are escaped: {created}"
    );
    owner.press("a:wt");
    let screen = owner.next_text().await;
    assert!(
        screen.contains("Stock of all variants: <b>3</b>"),
        "{screen}"
    );
    assert!(screen.contains("<b>Variants</b> (1)"), "{screen}");
    let stock = db
        .scalar(
            "SELECT count(*) FROM product_contents pc JOIN product_variants v ON v.id = pc.variant_id
         WHERE v.code = 'NETFLIX1M' AND v.price = 25000 AND pc.state = 'available'",
        )
        .await;
    assert_eq!(stock, 3);
    db.until(
        "the audit entry",
        WAIT,
        "SELECT count(*) FROM audit_log WHERE action = 'product.create' AND actor = 'tg:777'",
        1,
    )
    .await;
    // Customers see it in the catalog.
    let mut ana = Customer::new(&api, 1001, "Ana", "id");
    ana.say("/stock");
    assert!(ana.next_text().await.contains("Netflix 1 Bulan"));
}

#[tokio::test]
pub(crate) async fn stock_is_added_from_an_uploaded_text_file() {
    let db = TestDb::new().await;
    let id = product(&db.pool, "SPOTIFY", "Spotify", 15_000, 0).await;
    let (api, _shop) = owner_shop(&db, &[]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.press(&StockPress::AddStock { id: VariantId(id) }.encode());
    assert!(owner.next_text().await.contains(".txt"));
    owner.document("not-text", "stock.pdf", 100);
    assert!(owner.next_text().await.contains("Only a <b>.txt</b>"));
    let body = b"key-1\nkey-2\n\n  key-3  \nkey-1\n".to_vec();
    let size = body.len();
    let file = api.add_file(body);
    owner.document(&file, "stock.txt", size);
    let imported = next_containing(&mut owner, "File imported").await;
    assert!(
        imported.contains("added 3; 1 duplicate(s) skipped. Stock now: <b>3</b>"),
        "{imported}"
    );
    // Pasting more into the same step adds to the same product.
    owner.say("key-4\nkey-2");
    let pasted = owner.next_text().await;
    assert!(
        pasted.contains("Added 1; 1 duplicate(s) skipped. Stock now: <b>4</b>"),
        "{pasted}"
    );
    let stock = db
        .scalar(&format!(
            "SELECT count(*) FROM product_contents WHERE variant_id = {id} AND state = 'available'"
        ))
        .await;
    assert_eq!(stock, 4);
}

#[tokio::test]
pub(crate) async fn a_menu_button_in_the_middle_of_a_wizard_leaves_it_cleanly() {
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.press("a:pn");
    assert!(owner.next_text().await.contains("step 1/7"));
    owner.say("CANVA");
    assert!(owner.next_text().await.contains("Step 2/7"));
    owner.say("🏷 Cek Stok");
    let stock = owner.next_text().await;
    assert!(
        !stock.contains("Step 3/7"),
        "the menu was not taken as a name: {stock}"
    );
    settled(&db.pool).await;
    assert_eq!(
        db.scalar("SELECT count(*) FROM conversations").await,
        0,
        "no wizard state left"
    );
    owner.say("Canva Pro");
    assert!(
        owner.next_text().await.contains("didn't understand"),
        "not read as a wizard answer"
    );
    assert_eq!(db.scalar("SELECT count(*) FROM products").await, 0);
}

/// A fingerprint of everything an admin button could change.
pub(crate) async fn shop_state(pool: &PgPool) -> String {
    sqlx::query_scalar(
        r#"SELECT concat_ws('|',
             (SELECT md5(coalesce(string_agg(p::text, ',' ORDER BY id), '')) FROM products p),
             (SELECT md5(coalesce(string_agg(c::text, ',' ORDER BY id), '')) FROM product_contents c),
             (SELECT md5(coalesce(string_agg(c::text, ',' ORDER BY id), '')) FROM categories c),
             (SELECT md5(coalesce(string_agg(v::text, ',' ORDER BY id), '')) FROM vouchers v),
             (SELECT md5(coalesce(string_agg(o::text, ',' ORDER BY id), '')) FROM orders o),
             (SELECT md5(coalesce(string_agg((u.id, u.balance, u.is_blocked)::text, ',' ORDER BY id), '')) FROM users u),
             (SELECT count(*) FROM admins), (SELECT count(*) FROM broadcasts),
             (SELECT count(*) FROM balance_ledger), (SELECT count(*) FROM conversations),
             (SELECT count(*) FROM audit_log),
             (SELECT count(*) FROM apalis.jobs WHERE job_type = 'System'
                AND convert_from(job, 'UTF8')::jsonb->>'kind' = 'audit.write'))"#,
    )
    .fetch_one(pool)
    .await
    .expect("fingerprint")
}

#[tokio::test]
pub(crate) async fn a_customer_forging_every_admin_button_changes_nothing() {
    let db = TestDb::new().await;
    let id = product(&db.pool, "VIDIO", "Vidio", 9_000, 2).await;
    let content: i64 = db.scalar("SELECT min(id) FROM product_contents").await;
    let category = db
        .scalar("INSERT INTO categories (name) VALUES ('Streaming') RETURNING id")
        .await;
    let voucher = db
        .scalar(
            "INSERT INTO vouchers (code, kind, value) VALUES ('HEMAT', 'percent', 10) RETURNING id",
        )
        .await;
    // Anti-spam would silence a forger this busy; let every press through to the role check.
    let (api, _shop) = owner_shop(&db, &[("SPAM_MAX_ACTIONS", "1000")]).await;
    let mut mallory = Customer::new(&api, 666, "Mallory", "id");
    mallory.say("/start");
    mallory.next_text().await;
    settled(&db.pool).await;
    let me: i64 = db
        .scalar("SELECT id FROM users WHERE telegram_id = 666")
        .await;
    let before = shop_state(&db.pool).await;
    let mut forged: Vec<AdminCallback> = AdminCallback::examples();
    use AdminCallback as A;
    forged.extend([
        A::from(ProductPress::Archive {
            id: ProductId(id),
            archived: true,
        }),
        A::from(StockPress::DeleteContent {
            content: ContentId(content),
        }),
        A::from(CategoryPress::DeleteCategory {
            id: CategoryId(category),
            confirmed: true,
        }),
        A::from(VoucherPress::DisableVoucher {
            id: VoucherId(voucher),
        }),
        A::from(UserPress::Block {
            id: UserId(me),
            blocked: true,
        }),
        A::from(UserPress::AdjustBalance { id: UserId(me) }),
        A::from(StaffPress::NewAdmin),
        A::from(JobPress::RetryAllJobs),
        A::from(WizardPress::NewProduct),
        A::from(BroadcastPress::Broadcast),
    ]);
    for callback in &forged {
        mallory.press(&callback.encode());
    }
    for callback in &forged {
        let notice = mallory.next_notice().await;
        assert!(
            notice.contains("hanya untuk admin"),
            "{callback:?}: {notice:?}"
        );
    }
    settled(&db.pool).await;
    assert_eq!(shop_state(&db.pool).await, before, "nothing changed");
    // And the refusals never showed an admin screen.
    assert!(
        mallory
            .delivered()
            .iter()
            .all(|c| !c.text().unwrap_or("").contains("Admin")),
        "no admin screen shown"
    );
}

/// An order awaiting payment, its one content reserved; returns (order id, customer id).
pub(crate) async fn open_order(pool: &PgPool, product_id: i64, telegram_id: i64) -> i64 {
    let user: i64 = sqlx::query_scalar(
        "INSERT INTO users (telegram_id, first_name) VALUES ($1, 'Budi') RETURNING id",
    )
    .bind(telegram_id)
    .fetch_one(pool)
    .await
    .expect("user");
    let order: i64 = sqlx::query_scalar(
        r#"INSERT INTO orders (public_id, user_id, payment_method, subtotal, total, expires_at)
           VALUES ('INV-MANUAL-1', $1, 'qris', 20000, 20000, now() + interval '1 hour') RETURNING id"#,
    )
    .bind(user)
    .fetch_one(pool)
    .await
    .expect("order");
    sqlx::query(
        "INSERT INTO order_items (order_id, product_id, variant_id, product_name, variant_name, unit_price, quantity) VALUES ($1, $2, $2, 'HBO', 'HBO', 20000, 1)",
    )
    .bind(order)
    .bind(product_id)
    .execute(pool)
    .await
    .expect("item");
    sqlx::query(
        "UPDATE product_contents SET state = 'reserved', order_id = $1, reserved_at = now()
         WHERE id = (SELECT min(id) FROM product_contents WHERE variant_id = $2)",
    )
    .bind(order)
    .bind(product_id)
    .execute(pool)
    .await
    .expect("reserve");
    order
}

#[tokio::test]
pub(crate) async fn marking_an_order_paid_by_hand_delivers_it_once() {
    let db = TestDb::new().await;
    let hbo = product(&db.pool, "HBO", "HBO", 20_000, 1).await;
    sqlx::query("UPDATE product_variants SET low_stock_threshold = 1 WHERE id = $1")
        .bind(hbo)
        .execute(&db.pool)
        .await
        .expect("threshold");
    let order = open_order(&db.pool, hbo, 1001).await;
    let (api, _shop) = owner_shop(&db, &[]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    let mut budi = Customer::new(&api, 1001, "Budi", "id");
    owner.press(&OrderPress::Order { id: OrderId(order) }.encode());
    let detail = owner.next_screen().await;
    let mark = button(&detail, "✅ Mark paid").expect("mark paid button");
    owner.press(&mark);
    assert!(owner.next_text().await.contains("note"));
    owner.say("transfer BCA 12:30");
    let done = next_containing(&mut owner, "Marked paid").await;
    assert!(done.contains("paid"), "{done}");
    let goods = next_containing(&mut budi, "HBO-secret-&lt;0&gt;").await;
    assert!(goods.contains("INV-MANUAL-1"), "{goods}");
    // Marking it paid again changes nothing.
    owner.press(&mark);
    owner.next_text().await;
    owner.say("again");
    let again = next_containing(&mut owner, "Marked paid").await;
    assert!(again.contains("already paid"), "{again}");
    settled(&db.pool).await;
    let deliveries = budi
        .delivered()
        .iter()
        .filter(|c| c.text().unwrap_or("").contains("HBO-secret"))
        .count();
    assert_eq!(deliveries, 1, "delivered once");
    let low_stock = owner
        .delivered()
        .iter()
        .filter(|c| c.text().unwrap_or("").contains("Low stock"))
        .count();
    assert_eq!(
        low_stock, 1,
        "one low-stock alert, in the owner's English: stock 0 is below 1"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(&db.pool)
        .await
        .expect("status");
    assert_eq!(status, "delivered");
    let events = db
        .scalar("SELECT count(*) FROM payment_events WHERE source = 'admin'")
        .await;
    assert_eq!(events, 2, "both presses recorded");
}

#[tokio::test]
pub(crate) async fn a_failed_job_retried_from_the_menu_succeeds() {
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(
        &db,
        &[("JOB_BACKOFF_BASE", "10ms"), ("JOB_BACKOFF_MAX", "20ms")],
    )
    .await;
    let script = ProbeScript {
        failures: 3,
        ..ProbeScript::default()
    };
    let id = crate::queue::enqueue(&db.pool, &crate::queue::script("retry-me", script)).await;
    wait_for_state(&db.pool, &id, "failed", WAIT).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.press("a:j");
    let jobs = owner.next_screen().await;
    assert!(
        jobs.text().unwrap_or("").contains("failed 1"),
        "{:?}",
        jobs.text()
    );
    owner.press(&JobPress::FailedJobs { page: 0 }.encode());
    let failed = owner.next_screen().await;
    let open = format!("a:js:{id}");
    assert!(
        crate::chat::buttons(&failed).contains(&open),
        "{:?}",
        failed.body
    );
    owner.press(&open);
    let detail = owner.next_screen().await;
    let retry = button(&detail, "🔁 Retry").expect("retry button");
    owner.press(&retry);
    wait_for_state(&db.pool, &id, "done", WAIT).await;
    db.until(
        "the retry audited",
        WAIT,
        "SELECT count(*) FROM audit_log WHERE action = 'job.retry'",
        1,
    )
    .await;
}

/// Broadcast rate for the test: fast enough to finish quickly, slow enough to measure.
pub(crate) const RATE: usize = 200;

#[tokio::test]
pub(crate) async fn a_broadcast_is_paced_and_resumes_after_a_crash_without_duplicates() {
    let db = TestDb::new().await;
    sqlx::query(
        "INSERT INTO users (telegram_id, first_name) SELECT 100000 + n, 'C' || n FROM generate_series(1, 1000) n",
    )
    .execute(&db.pool)
    .await
    .expect("customers");
    let rate = RATE.to_string();
    let env = [
        ("BROADCAST_RATE", rate.as_str()),
        ("JOB_HEARTBEAT", "500ms"),
        ("JOB_RESCUE_AFTER", "2s"),
    ];
    let (api, mut first) = owner_shop(&db, &env).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.press("a:b");
    assert!(owner.next_text().await.contains("preview"));
    owner.say("🎉 <b>Promo</b> hari ini!");
    let confirm = next_containing(&mut owner, "Send this to").await;
    assert!(
        confirm.contains("<b>1001</b>"),
        "every customer and the owner: {confirm}"
    );
    let start: String = sqlx::query_scalar("SELECT 'a:bg:' || id FROM broadcasts")
        .fetch_one(&db.pool)
        .await
        .expect("draft");
    owner.press(&start);
    // Crash mid-way.
    eventually("a third sent", WAIT, || async {
        let sent = db
            .scalar("SELECT count(*) FROM broadcast_recipients WHERE status = 'sent'")
            .await;
        (sent >= 300).then_some(())
    })
    .await;
    first.sigkill();
    let mut again = vec![("TELEGRAM_OWNER_IDS", "777")];
    again.extend_from_slice(&env);
    let _second = shop(&db, &api, &again);
    eventually(
        "the broadcast finished",
        Duration::from_secs(90),
        || async {
            let done = db
                .scalar("SELECT count(*) FROM broadcasts WHERE status = 'done'")
                .await;
            (done == 1).then_some(())
        },
    )
    .await;
    // The owner saw a preview too; count the customers.
    let calls: Vec<_> = api
        .calls()
        .into_iter()
        .filter(|c| c.ok && c.method == "sendmessage" && c.chat_id != Some(OWNER))
        .filter(|c| c.text() == Some("🎉 <b>Promo</b> hari ini!"))
        .collect();
    let mut chats: Vec<i64> = calls.iter().filter_map(|c| c.chat_id).collect();
    chats.sort_unstable();
    let before = chats.len();
    chats.dedup();
    assert_eq!(before, chats.len(), "nobody got a second copy");
    let (sent, total, interrupted): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE r.status = 'sent'), count(*),
                count(*) FILTER (WHERE r.error LIKE 'interrupted%')
         FROM broadcast_recipients r JOIN users u ON u.id = r.user_id WHERE u.telegram_id <> 777",
    )
    .fetch_one(&db.pool)
    .await
    .expect("counts");
    assert_eq!(total, 1000);
    let received = i64::try_from(chats.len()).expect("count");
    // A message in flight at the kill may have arrived without being marked sent: it is
    // marked failed (interrupted), never sent again.
    assert!(
        sent <= received && received <= sent + interrupted,
        "sent {sent}, received {received}, interrupted {interrupted}"
    );
    assert!(interrupted <= 2, "only in-flight messages: {interrupted}");
    assert!(sent >= 990, "at most the in-flight ones lost: {sent}");
    // Never more than RATE in any second (measured where Telegram would: on arrival).
    let times: Vec<_> = calls.iter().map(|c| c.at).collect();
    let mut busiest = 0;
    for (i, start) in times.iter().enumerate() {
        let within = times[i..]
            .iter()
            .take_while(|t| t.duration_since(*start) < Duration::from_secs(1))
            .count();
        busiest = busiest.max(within);
    }
    assert!(busiest <= RATE, "{busiest} messages within one second");
}

#[tokio::test]
pub(crate) async fn admin_screens_are_indonesian_until_the_admin_picks_english() {
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "id");
    owner.say("/admin");
    let home = owner.next("sendmessage").await;
    assert!(
        home.text()
            .unwrap_or("")
            .contains("Pilih yang ingin dikelola"),
        "{:?}",
        home.body
    );
    assert_eq!(button(&home, "🛒 Produk").as_deref(), Some("a:ps:0"));
    owner.press("a:pn");
    assert!(owner.next_text().await.contains("langkah 1/7"));
    owner.say("/language");
    let picker = owner.next("sendmessage").await;
    let english = button(&picker, "🇬🇧 English").expect("English");
    owner.press(&english);
    owner.next_screen().await;
    owner.say("/admin");
    let home = next_containing(&mut owner, "Pick what to manage").await;
    assert!(home.contains("Admin —"), "{home}");
    owner.press(&VoucherPress::Vouchers.encode());
    let vouchers = owner.next_screen().await;
    assert!(
        vouchers.text().unwrap_or("").contains("<b>Vouchers</b>"),
        "{:?}",
        vouchers.body
    );
}
