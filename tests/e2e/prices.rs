//! Price groups as the owner and customers meet them: a reseller sees and pays the group's
//! price while a normal customer never sees it, a group change applies to the next cart, and
//! the price list imported from CSV (pasted or uploaded) only after a preview.

use sqlx::PgPool;

use crate::chat::{Customer, WAIT};
use crate::payments::qris_shop;
use crate::seed::with_variants;
use crate::support::TestDb;
use crate::variants::{OWNER, delivered, fund, order_lines, pay_from_balance};

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
    // Its own price for the month, from the variant's screen (an unknown group refused).
    owner.press(&format!("a:re:{}:g", v[0]));
    assert!(owner.next_text().await.contains("own price per group"));
    owner.say("Gold=1000");
    assert!(owner.next_text().await.contains("Group prices refused"));
    owner.say("reseller=9.000");
    let variant = owner.next_text().await;
    assert!(
        variant.contains("Group prices: Reseller Rp 9.000"),
        "{variant}"
    );
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
