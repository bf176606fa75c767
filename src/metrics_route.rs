//! `GET /metrics`: Prometheus's text format. This process's own counters (jobs it ran and
//! their durations, Telegram API errors, webhooks it answered, memory and CPU) followed by what
//! the database knows for the whole shop, read at scrape time: jobs by queue and state, the
//! oldest pending job's age per queue, the time from due to started for jobs finished in the
//! last five minutes, orders by status and revenue. With `METRICS_TOKEN` set, scrapes must
//! send `Authorization: Bearer <token>`.

use std::fmt::Write;

use salvo::http::header::{AUTHORIZATION, CONTENT_TYPE};
use salvo::prelude::*;
use secrecy::{ExposeSecret, SecretString};
use sqlx::PgPool;
use subtle::ConstantTimeEq;

pub struct MetricsRoute {
    pub pool: PgPool,
    pub token: Option<SecretString>,
}

#[handler]
impl MetricsRoute {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        if let Some(token) = &self.token {
            let given = req
                .headers()
                .get(AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            if !bool::from(given.as_bytes().ct_eq(token.expose_secret().as_bytes())) {
                res.status_code(StatusCode::UNAUTHORIZED);
                res.render(Text::Plain("send Authorization: Bearer <METRICS_TOKEN>\n"));
                return;
            }
        }
        let mut body = workers::metrics::render();
        body.push_str(&crate::ingress::render_metrics());
        match shop(&self.pool).await {
            Ok(text) => body.push_str(&text),
            Err(error) => {
                tracing::warn!(%error, "shop metrics unavailable");
                body.push_str(
                    "# the database did not answer: shop metrics left out\nbao_database_up 0\n",
                );
            }
        }
        res.headers_mut().insert(
            CONTENT_TYPE,
            salvo::http::HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        );
        res.render(body);
    }
}

/// One metric family's header.
fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

async fn shop(pool: &PgPool) -> Result<String, sqlx::Error> {
    let mut out = String::new();
    family(
        &mut out,
        "bao_database_up",
        "gauge",
        "1 when the database answered this scrape",
    );
    out.push_str("bao_database_up 1\n");
    let stats = jobs::admin::stats(pool)
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    family(&mut out, "bao_jobs", "gauge", "Jobs by queue and state");
    for s in &stats {
        for (state, n) in [
            ("pending", s.pending),
            ("scheduled", s.scheduled),
            ("running", s.running),
            ("retrying", s.retrying),
            ("failed", s.failed),
            ("done", s.done),
        ] {
            let _ = writeln!(
                out,
                "bao_jobs{{queue=\"{}\",state=\"{state}\"}} {n}",
                s.queue
            );
        }
    }
    family(
        &mut out,
        "bao_job_oldest_pending_seconds",
        "gauge",
        "Age of the oldest job ready to run and not started, by queue (0 when none)",
    );
    for s in &stats {
        let _ = writeln!(
            out,
            "bao_job_oldest_pending_seconds{{queue=\"{}\"}} {}",
            s.queue,
            s.oldest_pending_secs.unwrap_or(0.0)
        );
    }
    let delays = sqlx::query!(
        r#"SELECT job_type AS "queue!", count(*) AS "count!",
                  coalesce(sum(extract(epoch FROM lock_at - run_at)), 0)::float8 AS "sum!",
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM lock_at - run_at))::float8 AS "p50!",
                  percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM lock_at - run_at))::float8 AS "p99!"
           FROM apalis.jobs
           WHERE status = 'Done' AND done_at > now() - interval '5 minutes' AND lock_at >= run_at
           GROUP BY job_type ORDER BY job_type"#
    )
    .fetch_all(pool)
    .await?;
    family(
        &mut out,
        "bao_job_start_delay_seconds",
        "summary",
        "From due to started, for jobs finished in the last 5 minutes, by queue",
    );
    for d in &delays {
        let q = &d.queue;
        let _ = writeln!(
            out,
            "bao_job_start_delay_seconds{{queue=\"{q}\",quantile=\"0.5\"}} {}\nbao_job_start_delay_seconds{{queue=\"{q}\",quantile=\"0.99\"}} {}\nbao_job_start_delay_seconds_sum{{queue=\"{q}\"}} {}\nbao_job_start_delay_seconds_count{{queue=\"{q}\"}} {}",
            d.p50, d.p99, d.sum, d.count
        );
    }
    let flood = sqlx::query!(
        r#"SELECT
             coalesce((SELECT extract(epoch FROM blocked_until - now()) FROM telegram_pace
                       WHERE chat_id = 0 AND blocked_until > now()), 0)::float8 AS "bot_held!",
             (SELECT count(*) FROM telegram_pace WHERE chat_id <> 0 AND blocked_until > now()) AS "chats_held!""#
    )
    .fetch_one(pool)
    .await?;
    family(
        &mut out,
        "bao_telegram_bot_held_seconds",
        "gauge",
        "Seconds until Telegram's bot-wide flood control lets calls go again (0: not held)",
    );
    let _ = writeln!(out, "bao_telegram_bot_held_seconds {}", flood.bot_held);
    family(
        &mut out,
        "bao_telegram_chats_held",
        "gauge",
        "Chats whose calls wait for a 429 retry_after to pass",
    );
    let _ = writeln!(out, "bao_telegram_chats_held {}", flood.chats_held);
    let orders = sqlx::query!(
        r#"SELECT status AS "status!", count(*) AS "count!" FROM orders GROUP BY status ORDER BY status"#
    )
    .fetch_all(pool)
    .await?;
    family(&mut out, "bao_orders", "gauge", "Orders by status");
    for o in &orders {
        let _ = writeln!(out, "bao_orders{{status=\"{}\"}} {}", o.status, o.count);
    }
    let money = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM orders WHERE paid_at IS NOT NULL) AS "paid!",
             (SELECT coalesce(sum(total), 0) FROM orders WHERE paid_at IS NOT NULL)::bigint AS "revenue!",
             (SELECT coalesce(sum(delta), 0) FROM balance_ledger WHERE reason = 'refund')::bigint AS "refunded!",
             (SELECT coalesce(sum(amount), 0) FROM deposits WHERE status = 'paid')::bigint AS "deposits!""#
    )
    .fetch_one(pool)
    .await?;
    family(
        &mut out,
        "bao_orders_paid_total",
        "counter",
        "Orders ever paid",
    );
    let _ = writeln!(out, "bao_orders_paid_total {}", money.paid);
    family(
        &mut out,
        "bao_revenue_rupiah_total",
        "counter",
        "Rupiah of every order ever paid (refunds are counted separately)",
    );
    let _ = writeln!(out, "bao_revenue_rupiah_total {}", money.revenue);
    family(
        &mut out,
        "bao_refunds_rupiah_total",
        "counter",
        "Rupiah refunded to balances",
    );
    let _ = writeln!(out, "bao_refunds_rupiah_total {}", money.refunded);
    family(
        &mut out,
        "bao_deposits_rupiah_total",
        "counter",
        "Rupiah topped up by QRIS",
    );
    let _ = writeln!(out, "bao_deposits_rupiah_total {}", money.deposits);
    Ok(out)
}
