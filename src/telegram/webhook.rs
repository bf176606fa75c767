//! `POST /telegram/webhook`: Telegram's webhook calls. The secret header is compared in
//! constant time; anything without it is refused with 401 and never stored.

use jobs::ingress::{InboxError, record_update};
use salvo::prelude::*;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sqlx::PgPool;
use subtle::ConstantTimeEq;

/// Telegram's updates are small; anything bigger is not one.
const MAX_BODY: usize = 1024 * 1024;
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

pub struct TelegramWebhook {
    pub pool: PgPool,
    pub secret: SecretString,
}

#[handler]
impl TelegramWebhook {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let given = req
            .headers()
            .get(SECRET_HEADER)
            .map(|v| v.as_bytes().to_vec())
            .unwrap_or_default();
        if !bool::from(given.ct_eq(self.secret.expose_secret().as_bytes())) {
            tracing::warn!(remote = %req.remote_addr(), "Telegram webhook call with a wrong or missing secret token refused");
            return reply(
                res,
                StatusCode::UNAUTHORIZED,
                "wrong or missing X-Telegram-Bot-Api-Secret-Token",
            );
        }
        let body = match req.payload_with_max_size(MAX_BODY).await {
            Ok(body) => body.clone(),
            Err(error) => {
                tracing::warn!(%error, "Telegram webhook body refused");
                return reply(
                    res,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body missing or larger than 1 MiB",
                );
            }
        };
        let update: Value = match serde_json::from_slice(&body) {
            Ok(update) => update,
            Err(error) => {
                tracing::warn!(%error, "Telegram webhook body is not JSON");
                return reply(
                    res,
                    StatusCode::BAD_REQUEST,
                    &format!("body is not JSON: {error}"),
                );
            }
        };
        match store(&self.pool, &update).await {
            Ok(new) => {
                res.render(Json(json!({ "ok": true, "duplicate": !new })));
            }
            Err(InboxError::Malformed(reason)) => {
                tracing::warn!(%reason, "Telegram webhook body is not an update");
                reply(res, StatusCode::BAD_REQUEST, &reason);
            }
            Err(error) => {
                tracing::error!(%error, "Telegram update could not be stored; Telegram will resend it");
                reply(
                    res,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database unavailable; retry later",
                );
            }
        }
    }
}

async fn store(pool: &PgPool, update: &Value) -> Result<bool, InboxError> {
    let mut tx = pool.begin().await?;
    let new = record_update(&mut tx, update).await?;
    tx.commit().await?;
    Ok(new)
}

fn reply(res: &mut Response, status: StatusCode, error: &str) {
    res.status_code(status);
    res.render(Json(json!({ "ok": false, "error": error })));
}
