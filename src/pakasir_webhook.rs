//! `POST /webhooks/pakasir`: Pakasir's payment notices.
//!
//! Every request is recorded raw in `payment_events` before anything looks at it, and the
//! answer goes out after that commit: nothing a gateway sends is ever lost, even when it is
//! malformed. A well-formed notice gets a `payment.confirm` job (keyed by order and status,
//! so a repeated webhook is one job) in the same transaction; the job decides whether to
//! believe it. With `PAKASIR_WEBHOOK_SECRET` set, a request without the right
//! `X-Pakasir-Signature` (hex HMAC-SHA256 of the body) is recorded as rejected and refused.

use hmac::{Hmac, KeyInit, Mac};
use jobs::ingress::{PaymentNotice, ReceivedNotice, record_payment_notice};
use salvo::prelude::*;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use sha2::Sha256;
use sqlx::PgPool;

/// Pakasir's notices are a few hundred bytes.
const MAX_BODY: usize = 64 * 1024;
const SIGNATURE_HEADER: &str = "x-pakasir-signature";

pub struct PakasirWebhook {
    pub pool: PgPool,
    pub secret: Option<SecretString>,
}

#[handler]
impl PakasirWebhook {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let remote = req.remote_addr().to_string();
        let headers: serde_json::Map<String, serde_json::Value> = req
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v.to_str().unwrap_or("(not text)"))))
            .collect();
        let signature = req
            .headers()
            .get(SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = match req.payload_with_max_size(MAX_BODY).await {
            Ok(body) => body.to_vec(),
            Err(error) => {
                tracing::warn!(%error, %remote, "Pakasir webhook body refused");
                return reply(
                    res,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body missing or larger than 64 KiB",
                );
            }
        };
        let parsed = PaymentNotice::parse(&body);
        let signed = match &self.secret {
            None => true,
            Some(secret) => signature
                .as_deref()
                .is_some_and(|given| verify(secret, &body, given)),
        };
        let (verdict, note, status) = match (&parsed, signed) {
            (_, false) => (
                "rejected",
                Some("missing or wrong X-Pakasir-Signature".to_owned()),
                StatusCode::UNAUTHORIZED,
            ),
            (Err(error), true) => (
                "malformed",
                Some(format!("not a Pakasir webhook: {error}")),
                StatusCode::BAD_REQUEST,
            ),
            (Ok(_), true) => ("received", None, StatusCode::OK),
        };
        let received = ReceivedNotice {
            remote: &remote,
            headers,
            body: &body,
            notice: parsed.as_ref().ok(),
            verdict,
            note: note.as_deref(),
        };
        match record_payment_notice(&self.pool, received).await {
            Ok(event_id) => {
                if status == StatusCode::OK {
                    res.render(Json(json!({ "ok": true, "event": event_id })));
                } else {
                    let reason = note.unwrap_or_default();
                    tracing::warn!(%event_id, %remote, %reason, "Pakasir webhook refused");
                    reply(res, status, &reason);
                }
            }
            Err(error) => {
                tracing::error!(%error, "Pakasir webhook could not be recorded; Pakasir should resend it");
                reply(
                    res,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database unavailable; retry later",
                );
            }
        }
    }
}

fn verify(secret: &SecretString, body: &[u8], given: &str) -> bool {
    let Ok(given) = hex::decode(given.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

fn reply(res: &mut Response, status: StatusCode, error: &str) {
    res.status_code(status);
    res.render(Json(json!({ "ok": false, "error": error })));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_hex() {
        let secret = SecretString::from("s3cret");
        let body = br#"{"amount":1000}"#;
        let mut mac = Hmac::<Sha256>::new_from_slice(b"s3cret").expect("key");
        mac.update(body);
        let good = hex::encode(mac.finalize().into_bytes());
        assert!(verify(&secret, body, &good));
        assert!(!verify(&secret, br#"{"amount":9000}"#, &good));
        assert!(!verify(&secret, body, "zz"));
    }
}
