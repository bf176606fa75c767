//! Texts and settings changed from the bot: checked, previewed, live at once, reset to the configuration.

use workers::bot::admin::callback::{SettingPress, TextPress};

use crate::admin::{OWNER, next_containing, owner_shop};
use crate::chat::{Customer, WAIT};
use crate::seed::settled;
use crate::support::TestDb;

fn text_index(text: workers::ui::texts::Text) -> u16 {
    let index = workers::ui::texts::Text::ALL
        .iter()
        .position(|t| *t == text)
        .expect("a known text");
    u16::try_from(index).expect("fits")
}

#[tokio::test]
async fn a_text_edited_by_an_admin_is_checked_previewed_and_live_at_once() {
    use workers::ui::texts::{Locale, Text};
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    let mut ana = Customer::new(&api, 1001, "Ana", "id");
    let index = text_index(Text::Welcome);
    owner.press(&TextPress::Template { index }.encode());
    let detail = owner.next_screen().await;
    assert!(
        detail.text().unwrap_or("").contains("{customers}"),
        "placeholders listed"
    );
    owner.press(
        &TextPress::EditTemplate {
            index,
            locale: Locale::Id,
        }
        .encode(),
    );
    assert!(owner.next_text().await.contains("Placeholders"));
    owner.say("Halo {nama}!");
    assert!(
        owner
            .next_text()
            .await
            .contains("unknown placeholder(s) {nama}")
    );
    owner.say("Halo <b>{name}!");
    assert!(owner.next_text().await.contains("never closed"));
    owner.say("Halo <b>{name}</b>, selamat belanja di {store}! 🎉");
    next_containing(&mut owner, "Saved").await;
    let preview = owner.next_text().await;
    assert_eq!(
        preview,
        "Halo <b>[name]</b>, selamat belanja di [store]! 🎉"
    );
    ana.say("/start");
    let welcome = ana.next_text().await;
    assert_eq!(
        welcome,
        "Halo <b>Ana</b>, selamat belanja di Bot Auto Order! 🎉"
    );
    // The screen shows the template as it was before the edit: reset changes nothing there.
    let reset = owner.press(
        &TextPress::ResetTemplate {
            index,
            locale: Locale::Id,
        }
        .encode(),
    );
    owner.answered(&reset).await;
    settled(&db.pool).await;
    ana.say("/start");
    assert!(
        ana.next_text().await.starts_with("Hai <b>Ana</b>!"),
        "the built-in text is back"
    );
    db.until(
        "both changes audited",
        WAIT,
        "SELECT count(*) FROM audit_log WHERE action IN ('template.update', 'template.reset')",
        2,
    )
    .await;
}

#[tokio::test]
async fn settings_changed_in_the_bot_apply_at_once_and_reset_to_the_configuration() {
    use workers::settings::Setting;
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[("STORE_NAME", "Toko Lama")]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    let mut ana = Customer::new(&api, 1001, "Ana", "id");
    owner.press(
        &SettingPress::EditSetting {
            setting: Setting::StoreName,
        }
        .encode(),
    );
    owner.next_text().await;
    owner.say("Toko Baru");
    let saved = next_containing(&mut owner, "Saved").await;
    assert!(
        saved.contains("Store name: <b>Toko Baru</b> (set here)"),
        "{saved}"
    );
    ana.say("/start");
    assert!(ana.next_text().await.contains("<b>Toko Baru</b>"));
    // The largest top-up cannot go below the smallest (10.000 by default).
    owner.press(
        &SettingPress::EditSetting {
            setting: Setting::DepositMax,
        }
        .encode(),
    );
    owner.next_text().await;
    owner.say("5000");
    assert!(owner.next_text().await.contains("below the smallest"));
    owner.say("abc");
    assert!(owner.next_text().await.contains("a whole number"));
    owner.press(
        &SettingPress::ResetSetting {
            setting: Setting::StoreName,
        }
        .encode(),
    );
    let screen = owner.next_screen().await;
    assert!(
        screen
            .text()
            .unwrap_or("")
            .contains("Store name: <b>Toko Lama</b>\n"),
        "{:?}",
        screen.text()
    );
    settled(&db.pool).await;
    ana.say("/start");
    assert!(ana.next_text().await.contains("<b>Toko Lama</b>"));
}

#[tokio::test]
async fn an_admin_finds_a_text_by_part_of_its_key_or_words() {
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[]).await;
    let mut owner = Customer::new(&api, OWNER, "Owner", "en");
    owner.press(&TextPress::SearchTemplates.encode());
    assert!(owner.next_text().await.contains("part of a text"));
    owner.say("VOUCHER.PROMPT");
    let found = owner.next("sendmessage").await;
    assert!(
        found.text().unwrap_or("").contains("1 text(s)"),
        "{:?}",
        found.body
    );
    let index = text_index(workers::ui::texts::Text::VoucherPrompt);
    let open = crate::chat::button(&found, "voucher.prompt").expect("the text's button");
    assert_eq!(open, TextPress::Template { index }.encode());
    owner.press(&open);
    assert!(
        owner
            .next_screen()
            .await
            .text()
            .unwrap_or("")
            .contains("Kirim kode vouchermu"),
        "the text's screen"
    );
}

#[tokio::test]
async fn a_text_or_setting_changed_outside_the_bot_shows_in_the_next_reply() {
    use workers::ui::texts::{Template, Text};
    // Each process keeps the texts and settings in memory; a change from anywhere (here psql,
    // as the dashboard or another replica would write it) reaches it by notice.
    let db = TestDb::new().await;
    let (api, _shop) = owner_shop(&db, &[("STORE_NAME", "Toko Lama")]).await;
    let mut ana = Customer::new(&api, 1001, "Ana", "id");
    ana.say("/start");
    let first = ana.next_text().await;
    assert!(first.starts_with("Hai <b>Ana</b>!"), "{first}");
    assert!(first.contains("<b>Toko Lama</b>"), "{first}");
    sqlx::query("INSERT INTO templates (key, locale, body) VALUES ($1, 'id', 'Selamat datang di {store}, {name}!')")
        .bind(Text::Welcome.key())
        .execute(&db.pool)
        .await
        .expect("text changed");
    ana.say("/start");
    assert_eq!(
        ana.next_text().await,
        "Selamat datang di Toko Lama, Ana!",
        "the new text, not the copy in memory"
    );
    sqlx::query(r#"INSERT INTO settings (key, value) VALUES ('store_name', '"Toko Baru"')"#)
        .execute(&db.pool)
        .await
        .expect("setting changed");
    ana.say("/start");
    assert_eq!(ana.next_text().await, "Selamat datang di Toko Baru, Ana!");
    sqlx::query("DELETE FROM templates")
        .execute(&db.pool)
        .await
        .expect("text reset");
    ana.say("/start");
    assert!(ana.next_text().await.starts_with("Hai <b>Ana</b>!"));
}
