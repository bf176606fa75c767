//! Products v2 as customers and the owner meet it: a product in several variants, quantity
//! tiers (with a voucher after them), a race for one variant's last contents, and the
//! variants made and managed by the owner. Price groups are in `prices`, the upgrade from
//! before variants in `upgrade`.

use sqlx::PgPool;

use crate::chat::{Customer, WAIT, button, buttons};
use crate::payments::qris_shop;
use crate::seed::{settled, with_variants};
use crate::support::TestDb;

pub(crate) const OWNER: i64 = 777;

/// Give `telegram_id` a balance, with its ledger row as an admin's adjustment writes it.
pub(crate) async fn fund(pool: &PgPool, telegram_id: i64, amount: i64) {
    sqlx::query(
        "WITH u AS (UPDATE users SET balance = balance + $2 WHERE telegram_id = $1 RETURNING id, balance)
         INSERT INTO balance_ledger (user_id, delta, balance_after, reason, actor, note)
         SELECT id, $2, balance, 'adjustment', 'test', 'starting balance' FROM u",
    )
    .bind(telegram_id)
    .bind(amount)
    .execute(pool)
    .await
    .expect("fund");
}

/// Open the cart's checkout summary and pay it from the balance; returns the summary's text.
pub(crate) async fn pay_from_balance(customer: &mut Customer) -> String {
    customer.press("checkout");
    let summary = customer.next_screen().await;
    customer.next_notice().await;
    let text = summary.text().unwrap_or("").to_owned();
    let pay = buttons(&summary)
        .into_iter()
        .find(|data| data.starts_with("pay:bal:"))
        .unwrap_or_else(|| panic!("a balance button: {text}"));
    customer.press(&pay);
    let paid = customer.next_screen().await;
    assert!(
        paid.text().unwrap_or("").contains("lunas dengan saldo")
            || paid.text().unwrap_or("").contains("paid with your balance"),
        "{:?}",
        paid.text()
    );
    customer.next_notice().await;
    text
}

/// The lines of the customer's last order: (variant id, variant name, unit price, quantity, rule).
pub(crate) async fn order_lines(
    pool: &PgPool,
    telegram_id: i64,
) -> Vec<(i64, String, i64, i32, String)> {
    sqlx::query_as(
        r#"SELECT i.variant_id, i.variant_name, i.unit_price, i.quantity, i.price_rule
           FROM order_items i
           WHERE i.order_id = (SELECT max(o.id) FROM orders o JOIN users u ON u.id = o.user_id
                               WHERE u.telegram_id = $1)
           ORDER BY i.variant_id"#,
    )
    .bind(telegram_id)
    .fetch_all(pool)
    .await
    .expect("order lines")
}

pub(crate) async fn delivered(db: &TestDb, telegram_id: i64) {
    db.until(
        "the order delivered",
        WAIT,
        &format!(
            "SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id
             WHERE u.telegram_id = {telegram_id} AND o.status = 'delivered'"
        ),
        1,
    )
    .await;
}

#[tokio::test]
async fn a_product_with_three_variants_is_bought_in_two_of_them() {
    let db = TestDb::new().await;
    let (netflix, v) = with_variants(
        &db.pool,
        "NETFLIX",
        "Netflix Premium",
        &[
            ("NF1M", "1 bulan", 35_000, 4),
            ("NF3M", "3 bulan", 95_000, 2),
            ("NF12M", "12 bulan", 350_000, 3),
        ],
    )
    .await;
    let shop = qris_shop(&db, &[]).await;
    let mut ana = Customer::new(&shop.api, 1001, "Ana", "id");
    ana.say("/start");
    ana.next_text().await;
    fund(&db.pool, ana.id, 1_000_000).await;

    ana.press(&format!("prod:{netflix}:all:0"));
    let product = ana.next_screen().await;
    let text = product.text().unwrap_or("").to_owned();
    for line in [
        "Pilih varian",
        "1. <b>1 bulan</b> — Rp 35.000 (stok 4)",
        "2. <b>3 bulan</b> — Rp 95.000 (stok 2)",
        "3. <b>12 bulan</b> — Rp 350.000 (stok 3)",
        "mulai Rp 35.000",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert_eq!(
        button(&product, "1. 1 bulan"),
        Some(format!("var:{}:all:0", v[0]))
    );
    ana.next_notice().await;

    ana.press(&format!("var:{}:all:0", v[0]));
    let one_month = ana.next_screen().await;
    let text = one_month.text().unwrap_or("").to_owned();
    assert!(text.contains("Netflix Premium · 1 bulan"), "{text}");
    assert!(
        buttons(&one_month).contains(&format!("prod:{netflix}:all:0")),
        "back to the product's variants"
    );
    let add = button(&one_month, "🛒 Tambah ke keranjang").expect("add");
    ana.next_notice().await;
    ana.press(&add);
    ana.next_screen().await;
    ana.next_notice().await;
    ana.press(&format!("qty:{}:s2:all:0", v[2]));
    let twelve = ana.next_screen().await;
    assert!(
        twelve
            .text()
            .unwrap_or("")
            .contains("<b>2x</b> = Rp 700.000"),
        "{:?}",
        twelve.text()
    );
    ana.next_notice().await;

    ana.press("cart");
    let cart = ana.next_screen().await;
    let text = cart.text().unwrap_or("").to_owned();
    assert!(
        text.contains("Netflix Premium · 1 bulan ×1 = Rp 35.000"),
        "{text}"
    );
    assert!(
        text.contains("Netflix Premium · 12 bulan ×2 = Rp 700.000"),
        "{text}"
    );
    assert!(text.contains("Total: Rp 735.000"), "{text}");
    assert!(buttons(&cart).contains(&format!("item:{}:p", v[2])));
    ana.next_notice().await;

    pay_from_balance(&mut ana).await;
    delivered(&db, ana.id).await;
    let delivery = ana.next_text().await;
    assert!(
        delivery.contains("Netflix Premium · 12 bulan")
            && delivery.contains("NF12M-secret-&lt;1&gt;")
            && delivery.contains("NF1M-secret-&lt;0&gt;"),
        "{delivery}"
    );
    assert_eq!(
        order_lines(&db.pool, ana.id).await,
        vec![
            (v[0], "1 bulan".to_owned(), 35_000, 1, "list".to_owned()),
            (v[2], "12 bulan".to_owned(), 350_000, 2, "list".to_owned()),
        ]
    );
    for (variant, sold, available) in [(v[0], 1, 3), (v[1], 0, 2), (v[2], 2, 1)] {
        let (s, a): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE state = 'sold'), count(*) FILTER (WHERE state = 'available')
             FROM product_contents WHERE variant_id = $1",
        )
        .bind(variant)
        .fetch_one(&db.pool)
        .await
        .expect("stock");
        assert_eq!((s, a), (sold, available), "variant {variant}");
    }
    settled(&db.pool).await;
    ana.say("🧾 Riwayat Order");
    let history = ana.next("sendmessage").await;
    let order = buttons(&history)
        .into_iter()
        .find(|data| data.starts_with("order:"))
        .expect("the order in the history");
    ana.press(&order);
    let detail = ana.next_screen().await;
    assert!(
        detail
            .text()
            .unwrap_or("")
            .contains("Netflix Premium · 12 bulan ×2 = Rp 700.000"),
        "{:?}",
        detail.text()
    );
    crate::reconcile::assert_reconciled(&db.pool).await;
}

#[tokio::test]
async fn twelve_units_of_a_tiered_variant_are_charged_the_tier_price_and_a_voucher_comes_after() {
    let db = TestDb::new().await;
    let (diamonds, v) = with_variants(
        &db.pool,
        "ML",
        "Mobile Legends",
        &[("ML86", "86 diamonds", 10_000, 20)],
    )
    .await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "INSERT INTO variant_tiers (variant_id, min_quantity, unit_price) VALUES ({0}, 10, 8500), ({0}, 50, 8000);
         INSERT INTO vouchers (code, kind, value) VALUES ('HEMAT10', 'percent', 10);",
        v[0]
    )))
    .execute(&db.pool)
    .await
    .expect("tiers");
    let shop = qris_shop(&db, &[]).await;
    let mut budi = Customer::new(&shop.api, 1002, "Budi", "en");
    budi.say("/start");
    budi.next_text().await;
    fund(&db.pool, budi.id, 500_000).await;

    budi.press(&format!("prod:{diamonds}:all:0"));
    let screen = budi.next_screen().await;
    let text = screen.text().unwrap_or("").to_owned();
    assert!(text.contains("From 10: <b>Rp 8.500</b> each"), "{text}");
    assert!(buttons(&screen).contains(&format!("qty:{}:s10:all:0", v[0])));
    budi.next_notice().await;
    budi.press(&format!("qty:{}:s12:all:0", v[0]));
    let screen = budi.next_screen().await;
    assert!(
        screen
            .text()
            .unwrap_or("")
            .contains("<b>12x</b> = Rp 102.000"),
        "{:?}",
        screen.text()
    );
    budi.next_notice().await;

    budi.press("voucher");
    budi.next_text().await;
    budi.say("HEMAT10");
    budi.next_text().await;
    let summary = pay_from_balance(&mut budi).await;
    assert!(
        summary.contains("Mobile Legends · 86 diamonds ×12 = Rp 102.000"),
        "{summary}"
    );
    assert!(
        summary.contains("Rp 8.500 each, quantity price"),
        "{summary}"
    );
    assert!(
        summary.contains("-Rp 10.200"),
        "the voucher on the tiered subtotal: {summary}"
    );
    assert!(summary.contains("Total: Rp 91.800"), "{summary}");
    delivered(&db, budi.id).await;
    assert_eq!(
        order_lines(&db.pool, budi.id).await,
        vec![(v[0], "86 diamonds".to_owned(), 8_500, 12, "tier".to_owned())]
    );
    let (subtotal, total): (i64, i64) =
        sqlx::query_as("SELECT subtotal, total FROM orders ORDER BY id DESC LIMIT 1")
            .fetch_one(&db.pool)
            .await
            .expect("order");
    assert_eq!((subtotal, total), (102_000, 91_800));
    crate::reconcile::assert_reconciled(&db.pool).await;
}

#[tokio::test]
async fn thirty_customers_race_for_one_variants_last_contents_while_another_sells_normally() {
    let db = TestDb::new().await;
    let (_, v) = with_variants(
        &db.pool,
        "SPOTIFY",
        "Spotify",
        &[
            ("SP1M", "1 bulan", 5_000, 5),
            ("SP1Y", "1 tahun", 40_000, 30),
        ],
    )
    .await;
    let shop = qris_shop(&db, &[]).await;
    let mut racers = Vec::new();
    for n in 0..40 {
        let mut customer = Customer::new(&shop.api, 6000 + n, "Racer", "id");
        let (variant, quantity) = if n < 30 { (v[0], 1) } else { (v[1], 2) };
        crate::payments::with_cart(&db.pool, &mut customer, variant, quantity).await;
        racers.push(customer);
    }
    for customer in &racers {
        fund(&db.pool, customer.id, 100_000).await;
    }
    for customer in &mut racers {
        customer.press("pay:bal:7");
    }
    db.until(
        "every press handled",
        WAIT,
        "SELECT count(*) FROM telegram_updates WHERE handled_at IS NULL",
        0,
    )
    .await;
    db.until(
        "15 orders delivered",
        WAIT,
        "SELECT count(*) FROM orders WHERE status = 'delivered'",
        15,
    )
    .await;
    for (variant, sold, available, orders) in [(v[0], 5, 0, 5), (v[1], 20, 10, 10)] {
        let (s, r, a, o): (i64, i64, i64, i64) = sqlx::query_as(
            r#"SELECT count(*) FILTER (WHERE state = 'sold'), count(*) FILTER (WHERE state = 'reserved'),
                      count(*) FILTER (WHERE state = 'available'), count(DISTINCT order_id)
               FROM product_contents WHERE variant_id = $1"#,
        )
        .bind(variant)
        .fetch_one(&db.pool)
        .await
        .expect("stock");
        assert_eq!(
            (s, r, a, o),
            (sold, 0, available, orders),
            "variant {variant}"
        );
    }
    let untouched = db
        .scalar("SELECT count(*) FROM users WHERE balance = 100000 AND telegram_id BETWEEN 6000 AND 6029")
        .await;
    assert_eq!(untouched, 25, "the 25 who lost the race paid nothing");
    let year = db
        .scalar("SELECT count(*) FROM users WHERE balance = 20000 AND telegram_id >= 6030")
        .await;
    assert_eq!(year, 10, "every buyer of the other variant got theirs");
    crate::reconcile::assert_reconciled(&db.pool).await;
}

#[tokio::test]
async fn the_wizard_creates_several_variants_which_get_their_own_stock_tiers_order_and_status() {
    let db = TestDb::new().await;
    let (api, _shop) = crate::admin::owner_shop(&db, &[]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.press("a:pn");
    assert!(owner.next_text().await.contains("step 1/7"));
    owner.say("ML");
    owner.next_text().await;
    owner.say("Mobile Legends");
    assert!(
        owner
            .next_text()
            .await
            .contains("several variants one per line")
    );
    owner.say("ML86 | 86 diamonds | 20.000\nML86 | again | 1000");
    assert!(
        owner
            .next_text()
            .await
            .contains("Line 2 refused: code <code>ML86</code> is taken")
    );
    owner.say("ML86 | 86 diamonds | 20.000\nML172 | 172 diamonds | 39.000");
    assert!(owner.next_text().await.contains("Step 4/7"));
    owner.say("-");
    let picker = owner.next("sendmessage").await;
    let none = button(&picker, "— Uncategorised").expect("uncategorised");
    owner.press(&none);
    let created = owner.next_text().await;
    assert!(created.contains("created with 2 variants"), "{created}");
    owner.press("a:wt");
    let screen = owner.next("sendmessage").await;
    let variants: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM product_variants ORDER BY sort_order, id")
            .fetch_all(&db.pool)
            .await
            .expect("variants");
    assert_eq!(
        variants.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>(),
        ["ML86", "ML172"]
    );
    let (small, large) = (variants[0].0, variants[1].0);
    assert_eq!(
        button(&screen, "86 diamonds · Rp 20.000 · stock 0 · sold 0"),
        Some(format!("a:r:{small}"))
    );
    let product: i64 = sqlx::query_scalar("SELECT id FROM products WHERE code = 'ML'")
        .fetch_one(&db.pool)
        .await
        .expect("product");

    // One more variant, added from the product's screen.
    owner.press(&format!("a:rn:{product}"));
    owner.next_text().await;
    owner.next_notice().await;
    owner.say("ML344 | 344 diamonds | 75.000");
    assert!(owner.next_text().await.contains("1 variant(s) added"));
    owner.next_text().await;

    // Stock per variant: pasted for one, uploaded for another.
    owner.press(&format!("a:sa:{small}"));
    owner.next_text().await;
    owner.next_notice().await;
    owner.say("code-a\ncode-b\ncode-c");
    assert!(owner.next_text().await.contains("Stock now: <b>3</b>"));
    owner.press(&format!("a:sa:{large}"));
    owner.next_text().await;
    owner.next_notice().await;
    let body = b"big-1\nbig-2\n".to_vec();
    let size = body.len();
    let file = api.add_file(body);
    owner.document(&file, "stock.txt", size);
    let imported = crate::admin::next_containing(&mut owner, "File imported").await;
    assert!(imported.contains("Stock now: <b>2</b>"), "{imported}");

    // Tiers: refused when they do not fall, kept when they do.
    owner.press(&format!("a:re:{small}:q"));
    owner.next_text().await;
    owner.next_notice().await;
    owner.say("10=19000, 50=19500");
    assert!(owner.next_text().await.contains("Tiers refused"));
    owner.say("10=19.000, 50=18.000");
    let detail = owner.next_text().await;
    assert!(
        detail.contains("from 10: Rp 19.000, from 50: Rp 18.000"),
        "{detail}"
    );

    // Reordered and archived.
    owner.press(&format!("a:rm:{large}:1"));
    owner.next_screen().await;
    owner.next_notice().await;
    owner.press(&format!("a:ra:{small}:1"));
    let archived = owner.next_screen().await;
    assert!(archived.text().unwrap_or("").contains("archived"));
    owner.next_notice().await;
    let order: Vec<(String, String)> =
        sqlx::query_as("SELECT code, status FROM product_variants ORDER BY sort_order, id")
            .fetch_all(&db.pool)
            .await
            .expect("order");
    assert_eq!(
        order,
        vec![
            ("ML172".to_owned(), "active".to_owned()),
            ("ML86".to_owned(), "archived".to_owned()),
            ("ML344".to_owned(), "active".to_owned()),
        ]
    );
    // A customer sees the active variants only, in the new order.
    let mut ana = Customer::new(&api, 1001, "Ana", "id");
    ana.say("/start");
    ana.next_text().await;
    ana.press(&format!("prod:{product}:all:0"));
    let seen = ana.next_screen().await;
    let text = seen.text().unwrap_or("");
    assert!(
        text.contains("Mobile Legends · 172 diamonds") && !text.contains("86 diamonds"),
        "one variant in stock shows as the product: {text}"
    );
    db.until(
        "the variant changes audited",
        WAIT,
        "SELECT count(*) FROM audit_log WHERE action IN ('variant.create', 'variant.update', 'variant.archive')",
        4,
    )
    .await;
}
