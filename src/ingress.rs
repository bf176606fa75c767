//! The HTTP side of the process (salvo). Ingress only ever answers from what it can read or
//! enqueue in one short database round trip; everything else is a job.
//!
//! * `POST /telegram/webhook` (webhook mode): Telegram's updates, see
//!   [`crate::telegram::webhook`];
//! * `POST /webhooks/pakasir`: payment notices, see [`crate::pakasir_webhook`];
//! * `GET /metrics`: Prometheus metrics, see [`crate::metrics_route`];
//! * `/dashboard`: the web dashboard, see [`crate::dashboard`];
//! * `/sandbox`: the web chat, in sandbox mode only, see [`crate::sandbox::web`];
//! * `GET /health`: the process is alive (no database involved);
//! * `GET /ready`: the database answers, every migration is applied, and how old the oldest
//!   waiting job is; 503 with the reason otherwise. Both answer within a second.

use std::net::SocketAddr;
use std::sync::LazyLock;
use std::time::Duration;

use anyhow::Context;
use prometheus::{Encoder, IntCounterVec, Opts, Registry, TextEncoder};
use salvo::conn::tcp::TcpAcceptor;
use salvo::prelude::*;
use secrecy::SecretString;
use serde_json::json;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::metrics_route::MetricsRoute;
use crate::pakasir_webhook::PakasirWebhook;
use crate::telegram::webhook::TelegramWebhook;

/// `/ready` gives up on the database after this long and answers 503.
const READY_DEADLINE: Duration = Duration::from_millis(900);
/// In-flight requests get this long to finish on shutdown.
const DRAIN: Duration = Duration::from_secs(10);

/// The secrets of the routes the ingress serves.
#[derive(Debug, Clone, Default)]
pub struct Hooks {
    /// Telegram's secret token; `/telegram/webhook` exists only with it (webhook mode).
    pub telegram: Option<SecretString>,
    /// `PAKASIR_WEBHOOK_SECRET`, when Pakasir's notices must be signed.
    pub pakasir: Option<SecretString>,
    /// `METRICS_TOKEN`, when scrapes of `/metrics` must carry it.
    pub metrics: Option<SecretString>,
    /// Only `/health`, `/ready` and `/metrics`: what a worker process serves.
    pub probes_only: bool,
    /// `DASHBOARD_TOKEN`: sign in to `/dashboard` by typing it (links from the bot work always).
    pub dashboard: Option<SecretString>,
    /// Sandbox mode: the web chat at `/sandbox`.
    pub sandbox: Option<crate::sandbox::Sandbox>,
    /// `SHOP_TIMEZONE`: the dashboard's days and times (an admin's change in ⚙️ Settings wins).
    pub timezone: chrono_tz::Tz,
}

/// The routes: health, readiness, Pakasir's webhook, and Telegram's in webhook mode.
pub fn router(pool: PgPool, hooks: Hooks) -> Router {
    let mut router = Router::new()
        .push(Router::with_path("health").get(health))
        .push(Router::with_path("ready").get(Ready { pool: pool.clone() }))
        .push(Router::with_path("metrics").get(MetricsRoute {
            pool: pool.clone(),
            token: hooks.metrics,
        }));
    if hooks.probes_only {
        return router;
    }
    if let Some(sandbox) = hooks.sandbox {
        router = router.push(crate::sandbox::web::router(crate::sandbox::web::Web {
            sandbox,
            pool: pool.clone(),
        }));
    }
    router = router.push(crate::dashboard::router(crate::dashboard::Dashboard {
        pool: pool.clone(),
        token: hooks.dashboard,
        timezone: hooks.timezone,
    }));
    router = router.push(
        Router::with_path("webhooks/pakasir")
            .hoop(count_webhooks)
            .post(PakasirWebhook {
                pool: pool.clone(),
                secret: hooks.pakasir,
            }),
    );
    if let Some(secret) = hooks.telegram {
        router = router.push(
            Router::with_path("telegram/webhook")
                .hoop(count_webhooks)
                .post(TelegramWebhook { pool, secret }),
        );
    }
    router
}

/// Bind `addr`; the acceptor tells the bound port (useful with port 0).
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpAcceptor> {
    TcpListener::new(addr).try_bind().await.with_context(|| {
        format!("cannot listen on {addr} (HTTP_BIND); is another process using it?")
    })
}

/// Serve until `shutdown` is cancelled, then stop accepting and drain.
pub async fn serve(acceptor: TcpAcceptor, pool: PgPool, hooks: Hooks, shutdown: CancellationToken) {
    let addr = acceptor.local_addr().ok();
    let server = Server::new(acceptor);
    let handle = server.handle();
    tokio::spawn(async move {
        shutdown.cancelled().await;
        handle.stop_graceful(DRAIN);
    });
    tracing::info!(?addr, "ingress listening");
    server.serve(router(pool, hooks)).await;
    tracing::info!("ingress stopped");
}

/// Count each webhook answered, by source and status (`bao_webhooks_total`).
#[handler]
async fn count_webhooks(
    req: &mut Request,
    depot: &mut Depot,
    res: &mut Response,
    ctrl: &mut FlowCtrl,
) {
    let source = if req.uri().path().contains("pakasir") {
        "pakasir"
    } else {
        "telegram"
    };
    ctrl.call_next(req, depot, res).await;
    let status = res
        .status_code
        .unwrap_or(StatusCode::OK)
        .as_u16()
        .to_string();
    WEBHOOKS
        .1
        .with_label_values(&[source, status.as_str()])
        .inc();
}

/// Webhooks answered, by source and HTTP status, in the ingress's own registry. The
/// definition is fixed and valid: `expect` documents that, and the unit test renders it.
static WEBHOOKS: LazyLock<(Registry, IntCounterVec)> = LazyLock::new(|| {
    let registry = Registry::new();
    let counter = IntCounterVec::new(
        Opts::new(
            "bao_webhooks_total",
            "Webhooks answered, by source and HTTP status",
        ),
        &["source", "status"],
    )
    .expect("a valid counter");
    registry
        .register(Box::new(counter.clone()))
        .expect("a unique metric name");
    (registry, counter)
});

/// The ingress's own metrics in Prometheus's text format.
pub fn render_metrics() -> String {
    let mut out = Vec::new();
    if let Err(error) = TextEncoder::new().encode(&WEBHOOKS.0.gather(), &mut out) {
        tracing::warn!(%error, "ingress metrics could not be encoded");
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[handler]
async fn health(res: &mut Response) {
    res.render(Json(json!({ "status": "ok" })));
}

struct Ready {
    pool: PgPool,
}

#[handler]
impl Ready {
    async fn handle(&self, res: &mut Response) {
        let verdict = match tokio::time::timeout(READY_DEADLINE, readiness(&self.pool)).await {
            Ok(Ok(oldest)) => Ok(oldest),
            Ok(Err(reason)) => Err(reason),
            Err(_) => Err(format!(
                "database did not answer within {} ms",
                READY_DEADLINE.as_millis()
            )),
        };
        match verdict {
            Ok(oldest) => res.render(Json(json!({
                "status": "ready",
                "database": "ok",
                "migrations": "applied",
                "oldest_pending_job_secs": oldest,
            }))),
            Err(reason) => {
                tracing::warn!(%reason, "not ready");
                res.status_code(StatusCode::SERVICE_UNAVAILABLE);
                res.render(Json(json!({ "status": "unavailable", "reason": reason })));
            }
        }
    }
}

async fn readiness(pool: &PgPool) -> Result<Option<f64>, String> {
    let mut conn = pool
        .acquire()
        .await
        .map_err(|e| format!("database unreachable: {e}"))?;
    let applied = crate::db::migrations_applied(&mut conn)
        .await
        .map_err(|e| format!("cannot read the migration history: {e}"))?;
    if !applied {
        return Err("migrations pending: run `bot-auto-order migrate`".to_owned());
    }
    jobs::admin::oldest_pending_age(&mut *conn)
        .await
        .map_err(|e| format!("cannot read the job queue: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answered_webhooks_are_counted() {
        WEBHOOKS.1.with_label_values(&["pakasir", "200"]).inc();
        let text = render_metrics();
        assert!(
            text.contains("bao_webhooks_total{source=\"pakasir\",status=\"200\"} 1"),
            "{text}"
        );
    }

    /// The ingress records what comes in and nothing more: it knows the queue (`jobs`), never
    /// the workers that act on it.
    #[test]
    fn the_ingress_depends_on_jobs_only() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "src/ingress.rs",
            "src/pakasir_webhook.rs",
            "src/telegram/mod.rs",
            "src/telegram/webhook.rs",
            "src/telegram/poller.rs",
        ] {
            let text = std::fs::read_to_string(root.join(file)).expect("the source");
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            assert!(!code.contains("workers::"), "{file} uses the workers crate");
        }
    }
}
