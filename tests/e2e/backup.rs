//! Backups: create, list, verify, a wrong password and a damaged file refused, restore into a
//! scratch database with the same row counts, prune, and the scheduled `backup.run` job.

use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

use crate::support::{TestDb, admin_url, eventually, url_of};

const PASSWORD: &str = "correct horse battery staple";

async fn some_shop(pool: &PgPool) {
    sqlx::raw_sql(
        r#"INSERT INTO users (telegram_id, first_name) SELECT 1000 + n, 'C' || n FROM generate_series(1, 25) n;
           INSERT INTO products (code, name) VALUES ('NETFLIX', 'Netflix <1 bulan>');
           INSERT INTO product_variants (product_id, code, name, price)
             SELECT id, code, name, 25000 FROM products;
           INSERT INTO product_contents (variant_id, content)
             SELECT id, 'acc-' || n FROM product_variants, generate_series(1, 40) n;
           INSERT INTO orders (public_id, user_id, status, payment_method, subtotal, total, paid_at)
             SELECT 'INV-' || id, id, 'delivered', 'balance', 25000, 25000, now() FROM users WHERE id <= 7;"#,
    )
    .execute(pool)
    .await
    .expect("a small shop");
}

#[tokio::test]
async fn a_backup_is_encrypted_verified_restored_with_the_same_rows_and_pruned() {
    let db = TestDb::new().await;
    some_shop(&db.pool).await;
    let dir = db.dir.path().join("backups");
    let dir_str = dir.to_str().expect("utf-8 path").to_owned();
    let env = [
        ("BACKUP_PASSWORD", PASSWORD),
        ("BACKUP_DIR", dir_str.as_str()),
    ];

    let (ok, stdout, stderr) = db.run(&["backup", "create"], &env);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.starts_with("created bao-"), "{stdout}");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("backup dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    let dump = files
        .iter()
        .find(|f| f.ends_with(".dump.age"))
        .expect("an encrypted dump");
    let bytes = std::fs::read(dir.join(dump)).expect("dump");
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "age format");
    assert!(
        !bytes.windows(7).any(|w| w == b"NETFLIX"),
        "nothing readable without the password"
    );

    let (ok, stdout, _) = db.run(&["backup", "list"], &env);
    assert!(ok && stdout.contains("7 orders"), "{stdout}");
    let (ok, stdout, stderr) = db.run(&["backup", "verify"], &env);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("checksum ok, decrypted"), "{stdout}");
    let wrong = [
        ("BACKUP_PASSWORD", "guess"),
        ("BACKUP_DIR", dir_str.as_str()),
    ];
    let (ok, _, stderr) = db.run(&["backup", "verify"], &wrong);
    assert!(!ok && stderr.contains("BACKUP_PASSWORD"), "{stderr}");

    // Restore into a scratch database and compare every counted table.
    let scratch = format!("{}_restored", db.name);
    let mut admin = PgConnection::connect(&admin_url()).await.expect("admin");
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {scratch}")))
        .execute(&mut admin)
        .await
        .expect("scratch database");
    let scratch_url = url_of(&scratch);
    let (ok, stdout, stderr) = db.run(
        &["backup", "restore", "latest", "--into", &scratch_url],
        &env,
    );
    assert!(ok, "{stdout}{stderr}");
    let restored = PgPool::connect(&scratch_url).await.expect("restored");
    let expected = workers::backup::row_counts(&db.pool).await.expect("counts");
    let got = workers::backup::row_counts(&restored)
        .await
        .expect("restored counts");
    assert_eq!(got, expected);
    assert_eq!(expected["product_contents"], 40);
    restored.close().await;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP DATABASE {scratch} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .expect("drop scratch");
    // The shop's own database needs an explicit flag.
    let (ok, _, stderr) = db.run(&["backup", "restore", "latest", "--into", &db.url], &env);
    assert!(!ok && stderr.contains("--overwrite-the-shop"), "{stderr}");

    // A damaged file is refused by its checksum.
    let (ok, _, _) = db.run(&["backup", "create"], &env);
    assert!(ok);
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0xff;
    std::fs::write(dir.join(dump), damaged).expect("damage");
    let name = dump.trim_end_matches(".dump.age");
    let (ok, _, stderr) = db.run(&["backup", "verify", name], &env);
    assert!(!ok && stderr.contains("checksum"), "{stderr}");

    let (ok, stdout, _) = db.run(&["backup", "prune", "--keep", "1"], &env);
    assert!(ok && stdout.contains("pruned 1 backup(s)"), "{stdout}");
    assert!(stdout.contains(name), "the oldest went: {stdout}");
    let (_, stdout, _) = db.run(&["backup", "list"], &env);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[tokio::test]
async fn workers_make_the_scheduled_backup() {
    let db = TestDb::new().await;
    some_shop(&db.pool).await;
    let dir = db.dir.path().join("backups");
    let dir_str = dir.to_str().expect("utf-8 path").to_owned();
    let _worker = db.spawn(
        &["worker", "--queues", "system"],
        &[
            ("BACKUP_PASSWORD", PASSWORD),
            ("BACKUP_DIR", dir_str.as_str()),
        ],
    );
    eventually("the scheduled backup", crate::chat::WAIT, || async {
        let made = workers::backup::list(&dir).ok()?;
        (!made.is_empty()).then_some(())
    })
    .await;
    let done = db
        .scalar(
            "SELECT count(*) FROM apalis.jobs WHERE status = 'Done'
           AND convert_from(job, 'UTF8')::jsonb->>'kind' = 'backup.run'",
        )
        .await;
    assert!(done <= 1, "one backup per period");
}
