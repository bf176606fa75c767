//! The customer shop through the stand-in Bot API: cart, vouchers, checkout summary, order
//! history, profile, language, templates, anti-spam and blocking.

use crate::chat::{Customer, button, buttons, shop};
use crate::seed::{product, settled};
use crate::support::TestDb;
use bot_auto_order::standin::telegram::TelegramStandin;

const OWNER: i64 = 777;

#[tokio::test]
async fn a_customer_fills_a_cart_applies_a_voucher_and_reaches_the_payment_choice() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "A", "Netflix 1 Bulan", 10_000, 3).await;
    let b = product(&db.pool, "B", "Spotify <Family>", 25_000, 12).await;
    sqlx::query("INSERT INTO vouchers (code, kind, value, min_order) VALUES ('HEMAT10', 'percent', 10, 20000)")
        .execute(&db.pool)
        .await
        .expect("voucher");
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = shop(&db, &api, &[]);
    let mut ana = Customer::new(&api, 1001, "Ana", "id");

    ana.say("/start");
    assert!(ana.next_text().await.contains("Hai <b>Ana</b>"));

    ana.press(&format!("prod:{a}:all:0"));
    let detail = ana.next_screen().await;
    let add = button(&detail, "🛒 Tambah ke keranjang").expect("add button");
    ana.next_notice().await;
    ana.press(&add);
    let detail = ana.next_screen().await;
    assert!(
        detail
            .text()
            .unwrap_or("")
            .contains("Di keranjang: <b>1x</b> = Rp 10.000"),
        "{:?}",
        detail.text()
    );
    assert_eq!(ana.next_notice().await, "");

    let ten = button(&detail, "x10").expect("x10");
    ana.press(&ten);
    let detail = ana.next_screen().await;
    assert!(
        detail.text().unwrap_or("").contains("<b>3x</b>"),
        "capped by the stock: {:?}",
        detail.text()
    );
    let notice = ana.next_notice().await;
    assert!(notice.contains("tinggal 3"), "{notice}");

    ana.press(&format!("qty:{b}:s2:all:0"));
    ana.next_screen().await;
    ana.next_notice().await;

    ana.press("cart");
    let cart = ana.next_screen().await;
    let text = cart.text().unwrap_or("").to_owned();
    assert!(text.contains("Netflix 1 Bulan ×3 = Rp 30.000"), "{text}");
    assert!(
        text.contains("Spotify &lt;Family&gt; ×2 = Rp 50.000"),
        "{text}"
    );
    assert!(text.contains("Total: Rp 80.000"), "{text}");
    ana.next_notice().await;

    ana.press("voucher");
    assert!(ana.next_text().await.contains("Kirim kode voucher"));
    ana.next_notice().await;
    ana.say("NOPE99");
    assert!(ana.next_text().await.contains("kode tidak dikenal"));
    ana.say(" hemat10 ");
    assert!(
        ana.next_text()
            .await
            .contains("Voucher <code>HEMAT10</code> dipakai: hemat Rp 8.000")
    );
    let cart = ana.next("sendmessage").await;
    let text = cart.text().unwrap_or("");
    assert!(text.contains("-Rp 8.000"), "{text}");
    assert!(text.contains("Total: Rp 72.000"), "{text}");

    ana.press("checkout");
    let summary = ana.next_screen().await;
    let text = summary.text().unwrap_or("").to_owned();
    assert!(text.contains("Ringkasan pesanan"), "{text}");
    assert!(text.contains("Total: Rp 72.000"), "{text}");
    assert!(text.contains("Saldo kamu: Rp 0"), "{text}");
    ana.next_notice().await;
    let pay = button(&summary, "💠 QRIS").expect("QRIS button");
    assert!(button(&summary, "💼 Saldo").is_some());

    // One Netflix sells elsewhere: the old summary's button is stale, the new one says why.
    sqlx::query("DELETE FROM product_contents WHERE id = (SELECT max(id) FROM product_contents WHERE variant_id = $1)")
        .bind(a)
        .execute(&db.pool)
        .await
        .expect("one sold elsewhere");
    ana.press(&pay);
    let fresh = ana.next_screen().await;
    let text = fresh.text().unwrap_or("").to_owned();
    assert!(
        text.contains("Netflix 1 Bulan: tinggal 2, jumlah disesuaikan"),
        "{text}"
    );
    assert!(text.contains("Total: Rp 63.000"), "10% off 70.000: {text}");
    assert!(ana.next_notice().await.contains("Keranjangmu berubah"));
    let pay_again = button(&fresh, "💠 QRIS").expect("QRIS button");
    assert_ne!(pay, pay_again, "a new cart version");

    ana.press(&pay_again);
    let notice = ana.next("answercallbackquery").await;
    assert_eq!(notice.body["show_alert"], true);
    assert!(
        notice.body["text"]
            .as_str()
            .unwrap_or("")
            .contains("Keranjangmu tetap tersimpan"),
        "{}",
        notice.body
    );
    let kept = db.scalar_for("SELECT coalesce(sum(quantity), 0)::bigint FROM cart_items WHERE user_id = (SELECT id FROM users WHERE telegram_id = $1)", ana.id)
    .await;
    assert_eq!(kept, 4, "2 Netflix + 2 Spotify stay in the cart");

    ana.press("empty");
    let empty = ana.next_screen().await;
    assert!(empty.text().unwrap_or("").contains("masih kosong"));
    ana.next_notice().await;
    // The screen already says the cart is empty: no edit, only the notice.
    ana.press("checkout");
    assert!(
        ana.next_notice().await.contains("masih kosong"),
        "an empty checkout is refused politely"
    );
}

#[tokio::test]
async fn stale_carts_archived_products_and_expired_questions_get_a_clear_answer() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "A", "Canva Pro", 15_000, 2).await;
    let b = product(&db.pool, "B", "Zoom Pro", 30_000, 2).await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = shop(&db, &api, &[]);
    let mut ana = Customer::new(&api, 1001, "Ana", "id");

    ana.press(&format!("item:{a}:p"));
    ana.next_screen().await;
    ana.next_notice().await;
    ana.press(&format!("item:{b}:s2"));
    ana.next_screen().await;
    ana.next_notice().await;
    sqlx::query("UPDATE products SET status = 'archived' WHERE id = $1")
        .bind(b)
        .execute(&db.pool)
        .await
        .expect("archive");

    ana.press("checkout");
    let summary = ana.next_screen().await;
    let text = summary.text().unwrap_or("").to_owned();
    assert!(
        text.contains("Zoom Pro: habis, dihapus dari keranjang"),
        "{text}"
    );
    assert!(text.contains("Total: Rp 15.000"), "{text}");
    ana.next_notice().await;

    ana.press(&format!("qty:{b}:p:all:0"));
    let gone = ana.next_screen().await;
    assert!(gone.text().unwrap_or("").contains("sudah tidak tersedia"));
    assert!(ana.next_notice().await.contains("sudah tidak tersedia"));

    ana.press("voucher");
    ana.next_text().await;
    ana.next_notice().await;
    sqlx::query("UPDATE conversations SET expires_at = now() - interval '1 second'")
        .execute(&db.pool)
        .await
        .expect("expire the question");
    ana.say("HEMAT10");
    assert!(
        ana.next_text()
            .await
            .contains("Waktu untuk mengisi sudah habis"),
        "an expired question is not misread"
    );

    ana.press("voucher");
    ana.next_text().await;
    ana.next_notice().await;
    ana.say("🛍 Semua Produk");
    let categories = ana.next("sendmessage").await;
    assert!(categories.text().unwrap_or("").contains("Pilih kategori"));
    let left = db.scalar("SELECT count(*) FROM conversations").await;
    assert_eq!(left, 0, "a menu button leaves the question");

    ana.press("pay:qris:-5");
    ana.next_screen().await;
    assert!(ana.next_notice().await.contains("Keranjangmu berubah"));
}

#[tokio::test]
async fn order_history_shows_only_the_customers_orders_and_resends_contents() {
    let db = TestDb::new().await;
    let a = product(&db.pool, "A", "Netflix", 10_000, 3).await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let _shop = shop(&db, &api, &[]);
    let mut ana = Customer::new(&api, 1001, "Ana", "id");
    let mut budi = Customer::new(&api, 2002, "Budi", "id");
    ana.say("/start");
    ana.next_text().await;
    budi.say("/start");
    budi.next_text().await;
    let order: i64 = sqlx::query_scalar(
        r#"
        WITH o AS (
            INSERT INTO orders (public_id, user_id, status, payment_method, subtotal, total, paid_at, delivered_at)
            SELECT 'INV-0001', id, 'delivered', 'qris', 20000, 20000, now(), now() FROM users WHERE telegram_id = 1001
            RETURNING id
        ), i AS (
            INSERT INTO order_items (order_id, product_id, variant_id, product_name, variant_name, unit_price, quantity)
            SELECT o.id, $1, $1, 'Netflix', 'Netflix', 10000, 2 FROM o
        )
        SELECT id FROM o
        "#,
    )
    .bind(a)
    .fetch_one(&db.pool)
    .await
    .expect("order");
    sqlx::query("UPDATE product_contents SET state = 'sold', order_id = $2, sold_at = now() WHERE id IN (SELECT id FROM product_contents WHERE variant_id = $1 ORDER BY id LIMIT 2)")
        .bind(a)
        .bind(order)
        .execute(&db.pool)
        .await
        .expect("sold");

    ana.say("🧾 Riwayat Order");
    let list = ana.next("sendmessage").await;
    let text = list.text().unwrap_or("");
    assert!(text.contains("<code>INV-0001</code>"), "{text}");
    assert!(text.contains("Rp 20.000 · ✅ Selesai"), "{text}");
    let open = buttons(&list)
        .into_iter()
        .find(|data| data.starts_with("order:"))
        .expect("an order button");
    ana.press(&open);
    let detail = ana.next_screen().await;
    let text = detail.text().unwrap_or("");
    assert!(text.contains("Netflix ×2 = Rp 20.000"), "{text}");
    ana.next_notice().await;
    let show = button(&detail, "📦 Lihat isi pesanan").expect("contents button");
    ana.press(&show);
    let contents = ana.next_text().await;
    assert!(
        contents.contains("<code>A-secret-&lt;0&gt;</code>")
            && contents.contains("<code>A-secret-&lt;1&gt;</code>"),
        "escaped contents: {contents}"
    );
    assert!(!contents.contains("secret-&lt;2&gt;"), "{contents}");

    // Budi forges Ana's order: nothing of hers is shown.
    budi.press(&open);
    let forged = budi.next_screen().await;
    assert!(forged.text().unwrap_or("").contains("tidak ditemukan"));
    budi.press(&show);
    assert!(budi.next_text().await.contains("tidak ditemukan"));
    budi.say("🧾 Riwayat Order");
    assert!(budi.next_text().await.contains("belum punya pesanan"));
}

#[tokio::test]
async fn profile_language_and_edited_templates() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    sqlx::query("INSERT INTO templates (key, locale, body) VALUES ('how_to', 'en', 'Custom steps for {store}, {unknown}')")
        .execute(&db.pool)
        .await
        .expect("template");
    let _shop = shop(
        &db,
        &api,
        &[("STORE_NAME", "Toko & Co"), ("TELEGRAM_ADMIN_IDS", "4242")],
    );
    let mut ana = Customer::new(&api, 1001, "Ana", "id");

    ana.say("/language");
    let picker = ana.next("sendmessage").await;
    let english = button(&picker, "🇬🇧 English").expect("English");
    ana.press(&english);
    assert!(
        ana.next_screen()
            .await
            .text()
            .unwrap_or("")
            .contains("Language: English")
    );
    let menu = ana.next("sendmessage").await;
    let keyboard = menu.body["reply_markup"]["keyboard"].to_string();
    assert!(keyboard.contains("🛍 All Products"), "{keyboard}");
    ana.next_notice().await;

    ana.say("📘 How to Order");
    assert_eq!(
        ana.next_text().await,
        "Custom steps for Toko &amp; Co, {unknown}",
        "the admin's template, in the customer's language"
    );
    ana.say("📘 Cara Order");
    assert!(
        ana.next_text().await.contains("Custom steps"),
        "an old-language menu button still works"
    );

    ana.say("ℹ️ Info");
    let info = ana.next("sendmessage").await;
    let text = info.text().unwrap_or("");
    assert!(text.contains("Telegram ID: <code>1001</code>"), "{text}");
    assert!(text.contains("Balance: <b>Rp 0</b>"), "{text}");

    ana.press("support");
    let support = ana.next_screen().await;
    assert!(
        support
            .text()
            .unwrap_or("")
            .contains("href=\"tg://user?id=4242\""),
        "{:?}",
        support.text()
    );
    ana.next_notice().await;

    ana.press("name");
    assert!(ana.next_text().await.contains("new display name"));
    ana.next_notice().await;
    ana.say("ab");
    assert!(ana.next_text().await.contains("3–32 characters"));
    ana.say("Ana <Baru>");
    assert!(
        ana.next_text()
            .await
            .contains("Your name is now <b>Ana &lt;Baru&gt;</b>")
    );
    let name: String =
        sqlx::query_scalar("SELECT display_name FROM users WHERE telegram_id = 1001")
            .fetch_one(&db.pool)
            .await
            .expect("name");
    assert_eq!(name, "Ana <Baru>");
}

#[tokio::test]
async fn spammers_are_warned_once_and_blocked_customers_hear_one_message() {
    let db = TestDb::new().await;
    let api = TelegramStandin::start_strict().await.expect("stand-in");
    let owner = OWNER.to_string();
    let _shop = shop(
        &db,
        &api,
        &[
            ("SPAM_MAX_ACTIONS", "3"),
            ("SPAM_WINDOW", "1h"),
            ("TELEGRAM_OWNER_IDS", &owner),
        ],
    );
    let mut ana = Customer::new(&api, 1001, "Ana", "id");
    for _ in 0..6 {
        ana.say("/start");
    }
    let press = ana.press("stock");
    settled(&db.pool).await;
    for _ in 0..3 {
        assert!(ana.next_text().await.contains("Selamat datang"));
    }
    assert!(ana.next_text().await.contains("Jangan spam"));
    let answer = ana.next("answercallbackquery").await;
    assert_eq!(answer.body["callback_query_id"], press.as_str());
    assert!(
        answer.body.get("text").is_none(),
        "after the warning: answered, nothing said"
    );
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    assert!(owner.next_text().await.contains("Spam</b> dari Ana"));
    assert_eq!(ana.delivered().len(), 4, "3 welcomes and one warning");

    let mut budi = Customer::new(&api, 2002, "Budi", "id");
    budi.say("/start");
    budi.next_text().await;
    sqlx::query("UPDATE users SET is_blocked = TRUE WHERE telegram_id = 2002")
        .execute(&db.pool)
        .await
        .expect("block");
    budi.say("/start");
    budi.say("🛍 Semua Produk");
    budi.press("cats");
    settled(&db.pool).await;
    assert!(budi.next_text().await.contains("diblokir"));
    budi.next("answercallbackquery").await;
    let sent: Vec<_> = budi
        .delivered()
        .into_iter()
        .filter(|c| c.method == "sendmessage")
        .collect();
    assert_eq!(
        sent.len(),
        2,
        "the welcome before the block, then one notice"
    );
}
