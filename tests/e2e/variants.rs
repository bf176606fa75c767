//! Products v2 as customers and the owner meet it: a product in several variants, quantity
//! tiers, a reseller group's prices, the price list imported from CSV after a preview, the
//! upgrade of a shop that sold before variants, and a race for one variant's last contents.

use sqlx::PgPool;

use crate::chat::{Customer, WAIT, button, buttons};
use crate::payments::qris_shop;
use crate::seed::{settled, with_variants};
use crate::support::TestDb;

const OWNER: i64 = 777;

/// Give `telegram_id` a balance, with its ledger row as an admin's adjustment writes it.
async fn fund(pool: &PgPool, telegram_id: i64, amount: i64) {
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
async fn pay_from_balance(customer: &mut Customer) -> String {
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
async fn order_lines(pool: &PgPool, telegram_id: i64) -> Vec<(i64, String, i64, i32, String)> {
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

async fn delivered(db: &TestDb, telegram_id: i64) {
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
async fn a_reseller_sees_and_pays_the_group_price_while_a_normal_customer_sees_the_list_price() {
    let db = TestDb::new().await;
    let (netflix, v) = with_variants(
        &db.pool,
        "NETFLIX",
        "Netflix Premium",
        &[
            ("NF1M", "1 bulan", 10_000, 5),
            ("NF3M", "3 bulan", 28_000, 5),
        ],
    )
    .await;
    let shop = qris_shop(&db, &[]).await;
    let mut rina = Customer::new(&shop.api, 1003, "Rina", "id").with_username("rina_reseller");
    let mut budi = Customer::new(&shop.api, 1004, "Budi", "id");
    for customer in [&mut rina, &mut budi] {
        customer.say("/start");
        customer.next_text().await;
        fund(&db.pool, customer.id, 100_000).await;
    }
    let mut owner = Customer::new(&shop.api, OWNER, "Owner", "en");
    owner.press("a:gn");
    assert!(owner.next_text().await.contains("percentage off"));
    owner.say("Reseller 10");
    let group = owner.next_text().await;
    assert!(
        group.contains("<b>Reseller</b>") && group.contains("10%"),
        "{group}"
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM price_groups WHERE name = 'Reseller'")
        .fetch_one(&db.pool)
        .await
        .expect("group");
    sqlx::query(
        "INSERT INTO price_group_prices (group_id, variant_id, price) VALUES ($1, $2, 9000)",
    )
    .bind(id)
    .bind(v[0])
    .execute(&db.pool)
    .await
    .expect("own price");
    owner.press(&format!("a:gm:{id}"));
    owner.next_text().await;
    owner.say("@rina_reseller");
    assert!(owner.next_text().await.contains("rina_reseller: Reseller"));

    rina.press(&format!("prod:{netflix}:all:0"));
    let seen = rina.next_screen().await.text().unwrap_or("").to_owned();
    assert!(seen.contains("Rp 9.000 <i>(harga Reseller)</i>"), "{seen}");
    assert!(
        seen.contains("Rp 25.200 <i>(harga Reseller)</i>"),
        "10 % off where the group sets no price: {seen}"
    );
    rina.next_notice().await;
    budi.press(&format!("prod:{netflix}:all:0"));
    let seen = budi.next_screen().await.text().unwrap_or("").to_owned();
    assert!(
        seen.contains("Rp 10.000 (stok 5)") && !seen.contains("Reseller"),
        "{seen}"
    );
    budi.next_notice().await;

    for customer in [&mut rina, &mut budi] {
        customer.press(&format!("qty:{}:s2:all:0", v[0]));
        customer.next_screen().await;
        customer.next_notice().await;
    }
    // Moved out of the group now, Rina keeps its price in the cart she started under it.
    owner.press(&format!("a:gU:{}:-", user_id(&db.pool, rina.id).await));
    owner.next_screen().await;
    let rina_pays = pay_from_balance(&mut rina).await;
    assert!(
        rina_pays.contains("Rp 9.000/pcs harga Reseller"),
        "{rina_pays}"
    );
    assert!(rina_pays.contains("Total: Rp 18.000"), "{rina_pays}");
    let budi_pays = pay_from_balance(&mut budi).await;
    assert!(
        budi_pays.contains("Total: Rp 20.000") && !budi_pays.contains("Reseller"),
        "{budi_pays}"
    );
    delivered(&db, rina.id).await;
    delivered(&db, budi.id).await;
    assert_eq!(
        order_lines(&db.pool, rina.id).await,
        vec![(v[0], "1 bulan".to_owned(), 9_000, 2, "group".to_owned())]
    );
    assert_eq!(
        order_lines(&db.pool, budi.id).await,
        vec![(v[0], "1 bulan".to_owned(), 10_000, 2, "list".to_owned())]
    );
    // Her next cart is priced as a normal customer's.
    rina.press(&format!("qty:{}:s1:all:0", v[0]));
    let after = rina.next_screen().await.text().unwrap_or("").to_owned();
    assert!(
        after.contains("Rp 10.000") && !after.contains("Reseller"),
        "{after}"
    );
    db.until(
        "joined and left, both audited",
        WAIT,
        "SELECT count(*) FROM audit_log WHERE action = 'user.price_group'",
        2,
    )
    .await;
    crate::reconcile::assert_reconciled(&db.pool).await;
}

async fn user_id(pool: &PgPool, telegram_id: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE telegram_id = $1")
        .bind(telegram_id)
        .fetch_one(pool)
        .await
        .expect("user")
}

#[tokio::test]
async fn a_price_list_import_refuses_a_bad_line_and_applies_the_rest_only_after_confirmation() {
    let db = TestDb::new().await;
    with_variants(
        &db.pool,
        "NETFLIX",
        "Netflix Premium",
        &[
            ("NF1M", "1 bulan", 35_000, 1),
            ("NF3M", "3 bulan", 95_000, 1),
            ("NF12M", "12 bulan", 350_000, 1),
        ],
    )
    .await;
    sqlx::raw_sql("INSERT INTO price_groups (name) VALUES ('Reseller')")
        .execute(&db.pool)
        .await
        .expect("group");
    let shop = qris_shop(&db, &[]).await;
    let mut owner = Customer::new(&shop.api, OWNER, "Owner", "en");
    owner.press("a:gi");
    assert!(owner.next_text().await.contains("variant code,price"));
    owner.next_notice().await;
    owner.say("code,price,Reseller\nNF1M,36.000,30000\nNOPE,1000,\nNF3M,abc,\nNF12M,340000,\n");
    let preview = owner.next_text().await;
    for line in [
        "3 change(s), 2 line(s) refused",
        "line 3: variant code <code>NOPE</code> is unknown",
        "line 4: <code>abc</code> is not a price",
        "<code>NF1M</code> price: Rp 35.000 → Rp 36.000",
        "<code>NF1M</code> Reseller: — → Rp 30.000",
        "<code>NF12M</code> price: Rp 350.000 → Rp 340.000",
    ] {
        assert!(preview.contains(line), "{line:?} in {preview}");
    }
    let prices = "SELECT sum(price)::bigint FROM product_variants";
    assert_eq!(
        db.scalar(prices).await,
        480_000,
        "nothing changes before the owner applies"
    );
    owner.press("a:gy");
    let applied = owner.next_text().await;
    assert!(
        owner.next_text().await.contains("Price groups"),
        "the groups screen follows"
    );
    owner.next_notice().await;
    assert!(
        applied.contains("Applied: 3 price(s) changed; 2 refused"),
        "{applied}"
    );
    let list: Vec<(String, i64)> =
        sqlx::query_as("SELECT code, price FROM product_variants ORDER BY code")
            .fetch_all(&db.pool)
            .await
            .expect("prices");
    assert_eq!(
        list,
        vec![
            ("NF12M".to_owned(), 340_000),
            ("NF1M".to_owned(), 36_000),
            ("NF3M".to_owned(), 95_000),
        ]
    );
    assert_eq!(
        db.scalar("SELECT sum(price)::bigint FROM price_group_prices")
            .await,
        30_000
    );
    db.until(
        "the import audited",
        WAIT,
        "SELECT count(*) FROM audit_log WHERE action = 'price_list.import'",
        1,
    )
    .await;
    owner.press("a:gy");
    assert!(
        owner.next_notice().await.contains("step that is over"),
        "a second press applies nothing"
    );
    owner.press("a:gx");
    owner.next_text().await;
    let csv = owner.next_text().await;
    assert!(
        csv.contains("code,price,Reseller\nNF1M,36000,30000\nNF3M,95000,\nNF12M,340000,"),
        "{csv}"
    );

    // The same from an uploaded .csv file (a file of another kind is refused).
    owner.press("a:gi");
    owner.next_text().await;
    owner.document("not-csv", "prices.xlsx", 100);
    assert!(owner.next_text().await.contains("<b>.csv</b>"));
    let body = b"code,price\nNF3M,96000\n".to_vec();
    let size = body.len();
    let file = shop.api.add_file(body);
    owner.document(&file, "prices.csv", size);
    let preview = crate::admin::next_containing(&mut owner, "Preview").await;
    assert!(
        preview.contains("<code>NF3M</code> price: Rp 95.000 → Rp 96.000"),
        "{preview}"
    );
    owner.press("a:gy");
    crate::admin::next_containing(&mut owner, "Applied: 1 price(s) changed").await;
    assert_eq!(
        db.scalar("SELECT price FROM product_variants WHERE code = 'NF3M'")
            .await,
        96_000
    );
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
    sqlx::query(
        "WITH u AS (UPDATE users SET balance = 100000 RETURNING id)
         INSERT INTO balance_ledger (user_id, delta, balance_after, reason, actor, note)
         SELECT id, 100000, 100000, 'adjustment', 'test', 'starting balance' FROM u",
    )
    .execute(&db.pool)
    .await
    .expect("balances");
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
