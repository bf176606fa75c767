//! The command line: configuration errors, `run` without a token, migrations from several
//! processes at once, stats.

use crate::support::TestDb;

#[tokio::test]
async fn an_invalid_configuration_names_every_bad_variable() {
    let db = TestDb::new().await;
    let (ok, _, stderr) = db.run(
        &["migrate"],
        &[
            ("JOB_HEARTBEAT", "soon"),
            ("WORKER_CONCURRENCY", "system=zero"),
        ],
    );
    assert!(!ok);
    assert!(stderr.contains("JOB_HEARTBEAT"), "{stderr}");
    assert!(stderr.contains("WORKER_CONCURRENCY"), "{stderr}");
    assert!(stderr.contains("README"), "says where to look: {stderr}");
}

#[tokio::test]
async fn several_processes_migrating_at_once_all_succeed() {
    let db = TestDb::new().await;
    // An empty database of its own, so the migrations really run here.
    sqlx::raw_sql("DROP SCHEMA apalis CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        .execute(&db.pool)
        .await
        .expect("empty the database");
    let mut children: Vec<_> = (0..4).map(|_| db.spawn(&["migrate"], &[])).collect();
    for child in &mut children {
        let status = child.exit_status(std::time::Duration::from_secs(60)).await;
        assert!(status.success(), "migrate failed:\n{}", child.output());
    }
    let tables = db.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('orders', 'jobs', 'product_contents')").await;
    assert_eq!(tables, 3);
}

#[tokio::test]
async fn stats_list_every_queue() {
    let db = TestDb::new().await;
    let (ok, stdout, stderr) = db.run(&["jobs", "stats", "--json"], &[]);
    assert!(ok, "{stderr}");
    let stats: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let queues: Vec<&str> = stats
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|s| s["queue"].as_str())
        .collect();
    assert_eq!(
        queues,
        ["diagnostic", "payments", "system", "telegram", "updates"]
    );
}

#[tokio::test]
async fn doctor_passes_a_working_setup_and_names_what_is_broken() {
    let db = TestDb::new().await;
    let telegram = bot_auto_order::standin::telegram::TelegramStandin::start_strict()
        .await
        .expect("telegram stand-in");
    let pakasir = bot_auto_order::standin::pakasir::PakasirStandin::start("toko", "key-123")
        .await
        .expect("pakasir stand-in");
    let env = [
        ("TELEGRAM_BOT_TOKEN", "123:TEST"),
        ("TELEGRAM_API_URL", telegram.url.as_str()),
        ("PAKASIR_PROJECT", "toko"),
        ("PAKASIR_API_KEY", "key-123"),
        ("PAKASIR_API_URL", pakasir.url.as_str()),
    ];
    // Spawned, not run to completion: the stand-ins answer from this test's runtime.
    let mut doctor = db.spawn(&["doctor"], &env);
    let status = doctor.exit_status(std::time::Duration::from_secs(60)).await;
    let stdout = doctor.output();
    assert!(status.success(), "{stdout}");
    for line in [
        "[ok  ] database",
        "[ok  ] migrations",
        "[ok  ] telegram       getMe: @shop_bot",
        "[ok  ] pakasir        reachable (project toko)",
        "[ok  ] disk: logs",
        "[ok  ] disk: backups",
        "0 failed",
    ] {
        assert!(stdout.contains(line), "{line} missing from:\n{stdout}");
    }
    // Telegram unreachable, a broken database URL: both named, exit code 1.
    let broken = [
        ("TELEGRAM_BOT_TOKEN", "123:TEST"),
        ("TELEGRAM_API_URL", "http://127.0.0.1:9"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:9/nothing"),
    ];
    let (ok, stdout, _) = db.run(&["doctor"], &broken);
    assert!(!ok);
    assert!(stdout.contains("[FAIL] database"), "{stdout}");
    assert!(stdout.contains("[FAIL] telegram"), "{stdout}");
    assert!(
        !stdout.contains("123:TEST"),
        "the token never printed: {stdout}"
    );
}

#[tokio::test]
async fn a_second_store_gets_its_own_migrated_database_and_files() {
    use sqlx::Connection;
    let db = TestDb::new().await;
    let name = format!("s{}", db.name.trim_start_matches("bao_test_"));
    let stores = db.dir.path().join("stores");
    let stores_arg = stores.to_str().expect("utf-8").to_owned();
    let (ok, stdout, stderr) = db.run(&["store", "new", &name, "--dir", &stores_arg], &[]);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("database bao_{name} created and migrated")),
        "{stdout}"
    );
    let env = std::fs::read_to_string(stores.join(&name).join(".env")).expect(".env");
    let url = env
        .lines()
        .find_map(|l| l.strip_prefix("DATABASE_URL="))
        .expect("DATABASE_URL")
        .to_owned();
    assert!(url.ends_with(&format!("/bao_{name}")), "{url}");
    assert!(env.contains("HTTP_BIND=0.0.0.0:8081"), "{env}");
    let backup_password = env
        .lines()
        .find_map(|l| l.strip_prefix("BACKUP_PASSWORD="))
        .expect("a generated backup password");
    assert_eq!(backup_password.len(), 48);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(stores.join(&name).join(".env"))
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "the .env is the owner's only");
    assert!(stores.join(&name).join("compose.yaml").exists());
    let mut shop = sqlx::PgConnection::connect(&url)
        .await
        .expect("the new database");
    let migrated: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut shop)
        .await
        .expect("migrations");
    assert!(migrated >= 8, "{migrated} migrations");
    shop.close().await.expect("close");
    let (ok, _, stderr) = db.run(&["store", "new", &name, "--dir", &stores_arg], &[]);
    assert!(!ok && stderr.contains("already provisioned"), "{stderr}");
    let (ok, stdout, _) = db.run(&["store", "list", "--dir", &stores_arg], &[]);
    assert!(ok && stdout.contains(&name), "{stdout}");
    let (ok, _, stderr) = db.run(&["store", "new", "Bad-Name", "--dir", &stores_arg], &[]);
    assert!(!ok && stderr.contains("lowercase"), "{stderr}");
    // Its folder cannot be made (a dangling link is in the way): no database is left either.
    let other = format!("{name}x");
    std::os::unix::fs::symlink(db.dir.path().join("nowhere/at/all"), stores.join(&other))
        .expect("symlink");
    let (ok, _, stderr) = db.run(&["store", "new", &other, "--dir", &stores_arg], &[]);
    assert!(!ok && stderr.contains("cannot create"), "{stderr}");
    let left: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(format!("bao_{other}"))
            .fetch_one(&db.pool)
            .await
            .expect("exists");
    assert!(!left, "no database without its files");
    let mut admin = sqlx::PgConnection::connect(&crate::support::admin_url())
        .await
        .expect("admin");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE bao_{name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .expect("drop the store's database");
}
