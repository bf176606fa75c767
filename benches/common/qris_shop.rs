//! The whole shop (`run`) wired to both stand-ins, for the benchmarks that pay: included by
//! path from the benchmarks that use it (`#[path = "common/qris_shop.rs"] mod qris_shop;`).

use std::time::{Duration, Instant};

use bot_auto_order::standin::pakasir::PakasirStandin;
use bot_auto_order::standin::telegram::TelegramStandin;

use crate::common;

/// The shop process, stopped with SIGTERM when dropped (also on an error path).
pub struct QrisShop {
    process: common::Process,
}

impl QrisShop {
    /// Start it on a free port with the Pakasir webhook pointed at it; ready when this returns.
    /// `env` adds settings (BENCH_SHOP_ENV's win).
    pub async fn start(
        url: &str,
        api: &TelegramStandin,
        pakasir: &PakasirStandin,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        pakasir.set_webhook(&format!("http://127.0.0.1:{port}/webhooks/pakasir"));
        let bind = format!("127.0.0.1:{port}");
        let mut all = vec![
            ("TELEGRAM_BOT_TOKEN", "123:BENCH"),
            ("TELEGRAM_API_URL", api.url.as_str()),
            ("PAKASIR_PROJECT", pakasir.project.as_str()),
            ("PAKASIR_API_KEY", pakasir.api_key.as_str()),
            ("PAKASIR_API_URL", pakasir.url.as_str()),
            ("HTTP_BIND", bind.as_str()),
        ];
        all.extend_from_slice(env);
        let mut command = common::shop_command(&["run"], url, &all, "BENCH_SHOP_ENV");
        let shop = QrisShop {
            process: common::Process(command.spawn()?),
        };
        wait_ready(port).await?;
        Ok(shop)
    }

    pub fn pid(&self) -> u32 {
        self.process.0.id()
    }

    /// The end of a bench that paid: the shop's memory, what the strict stand-in counted and
    /// (BENCH_TOP) the statements that took the most time; then the shop stops and the
    /// database is dropped.
    #[allow(dead_code, reason = "the load bench ends with its soak report instead")]
    pub async fn finish(self, api: &TelegramStandin, db: common::BenchDb) -> anyhow::Result<()> {
        if let Some(rss) = bot_auto_order::standin::load::rss_kib(self.pid()) {
            println!(
                "\nThe shop's resident memory after the run: {:.1} MiB",
                rss as f64 / 1024.0
            );
        }
        println!("\n{}", crate::standin::strictness_line(api));
        common::top_statements(&db.pool).await?;
        drop(self);
        db.drop().await
    }
}

async fn wait_ready(port: u16) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = client
            .get(format!("http://127.0.0.1:{port}/ready"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ready {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "the shop did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
