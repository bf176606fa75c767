//! The Pakasir gateway client: create, detail, cancel and simulate a QRIS transaction.
//!
//! Transient failures (timeouts, connection errors, 5xx, 429) are [`PakasirError::Transient`]
//! and worth retrying; anything else Pakasir refuses is [`PakasirError::Refused`]. The API key
//! is a [`SecretString`]: it is sent in bodies and query strings but never logged — errors
//! carry the URL without its query.

use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Clone)]
pub struct PakasirConfig {
    /// `https://app.pakasir.com`, or a stand-in.
    pub api_url: url::Url,
    pub project: String,
    pub api_key: SecretString,
    /// Base of the hosted payment page, `https://app.pakasir.com/pay`.
    pub pay_url: url::Url,
    pub timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum PakasirError {
    #[error("Pakasir is unreachable or failing ({0}); will retry")]
    Transient(String),
    #[error("Pakasir refused the request: {0}")]
    Refused(String),
}

/// What `transactioncreate` answered.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Payment {
    pub order_id: String,
    pub amount: i64,
    pub fee: i64,
    pub total_payment: i64,
    /// The QRIS string to render.
    pub payment_number: String,
    /// RFC 3339 with nanoseconds.
    pub expired_at: DateTime<Utc>,
}

/// What `transactiondetail` answered.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Transaction {
    pub order_id: String,
    pub amount: i64,
    pub project: String,
    pub status: String,
}

#[derive(Clone)]
pub struct Pakasir {
    config: PakasirConfig,
    http: reqwest::Client,
}

impl std::fmt::Debug for Pakasir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pakasir")
            .field("api_url", &self.config.api_url.as_str())
            .field("project", &self.config.project)
            .finish_non_exhaustive()
    }
}

impl Pakasir {
    pub fn new(config: PakasirConfig) -> Result<Self, PakasirError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| PakasirError::Refused(format!("cannot build the HTTP client: {e}")))?;
        Ok(Pakasir { config, http })
    }

    pub fn project(&self) -> &str {
        &self.config.project
    }

    /// The hosted page where the customer can pay in a browser.
    pub fn pay_page(&self, order_id: &str, amount: i64) -> String {
        let mut url = self.config.pay_url.clone();
        url.path_segments_mut()
            .map(|mut segments| {
                segments
                    .pop_if_empty()
                    .push(&self.config.project)
                    .push(&amount.to_string());
            })
            .ok();
        url.query_pairs_mut()
            .append_pair("order_id", order_id)
            .append_pair("qris_only", "1");
        url.to_string()
    }

    fn endpoint(&self, path: &str) -> url::Url {
        let mut url = self.config.api_url.clone();
        url.path_segments_mut()
            .map(|mut segments| {
                segments.pop_if_empty().extend(path.split('/'));
            })
            .ok();
        url
    }

    fn body(&self, order_id: &str, amount: i64) -> serde_json::Value {
        json!({
            "project": self.config.project,
            "order_id": order_id,
            "amount": amount,
            "api_key": self.config.api_key.expose_secret(),
        })
    }

    pub async fn create_qris(&self, order_id: &str, amount: i64) -> Result<Payment, PakasirError> {
        #[derive(Deserialize)]
        struct Answer {
            payment: Payment,
        }
        let url = self.endpoint("api/transactioncreate/qris");
        let answer: Answer = self
            .send(
                self.http
                    .post(url.clone())
                    .json(&self.body(order_id, amount)),
                &url,
            )
            .await?;
        Ok(answer.payment)
    }

    pub async fn detail(&self, order_id: &str, amount: i64) -> Result<Transaction, PakasirError> {
        #[derive(Deserialize)]
        struct Answer {
            transaction: Transaction,
        }
        let url = self.endpoint("api/transactiondetail");
        let request = self.http.get(url.clone()).query(&[
            ("project", self.config.project.as_str()),
            ("amount", &amount.to_string()),
            ("order_id", order_id),
            ("api_key", self.config.api_key.expose_secret()),
        ]);
        let answer: Answer = self.send(request, &url).await?;
        Ok(answer.transaction)
    }

    pub async fn cancel(&self, order_id: &str, amount: i64) -> Result<(), PakasirError> {
        self.post("api/transactioncancel", order_id, amount).await
    }

    /// Sandbox projects only: mark the transaction paid and fire the webhook.
    pub async fn simulate(&self, order_id: &str, amount: i64) -> Result<(), PakasirError> {
        self.post("api/paymentsimulation", order_id, amount).await
    }

    /// POST the standard body to `path`, caring only that Pakasir accepted it.
    async fn post(&self, path: &str, order_id: &str, amount: i64) -> Result<(), PakasirError> {
        let url = self.endpoint(path);
        let request = self
            .http
            .post(url.clone())
            .json(&self.body(order_id, amount));
        let _: serde_json::Value = self.send(request, &url).await?;
        Ok(())
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        url: &url::Url,
    ) -> Result<T, PakasirError> {
        let response = request
            .send()
            .await
            .map_err(|e| PakasirError::Transient(format!("{url}: {}", e.without_url())))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| {
            PakasirError::Transient(format!("{url}: reading the answer: {}", e.without_url()))
        })?;
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(PakasirError::Transient(format!(
                "{url}: HTTP {status}: {}",
                excerpt(&text)
            )));
        }
        if !status.is_success() {
            return Err(PakasirError::Refused(format!(
                "{url}: HTTP {status}: {}",
                excerpt(&text)
            )));
        }
        serde_json::from_str(&text).map_err(|e| {
            PakasirError::Refused(format!(
                "{url}: unexpected answer ({e}): {}",
                excerpt(&text)
            ))
        })
    }
}

/// The start of an answer, for error messages.
fn excerpt(text: &str) -> String {
    text.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Pakasir {
        Pakasir::new(PakasirConfig {
            api_url: url::Url::parse("http://127.0.0.1:1/base/").expect("url"),
            project: "toko".to_owned(),
            api_key: SecretString::from("sekret-key"),
            pay_url: url::Url::parse("https://pay.example/pay").expect("url"),
            timeout: Duration::from_secs(1),
        })
        .expect("client")
    }

    #[test]
    fn nanosecond_expiry_parses() {
        let payment: Payment = serde_json::from_str(
            r#"{"project":"depodomain","order_id":"INV1","amount":99000,"fee":1003,"total_payment":100003,
                "payment_method":"qris","payment_number":"000201","expired_at":"2025-09-19T01:18:49.678622564Z"}"#,
        )
        .expect("parse");
        assert_eq!(payment.total_payment, 100_003);
        assert_eq!(payment.expired_at.timestamp_subsec_nanos(), 678_622_564);
    }

    #[test]
    fn urls_are_built_from_the_configured_bases() {
        let pakasir = client();
        assert_eq!(
            pakasir.endpoint("api/transactioncreate/qris").as_str(),
            "http://127.0.0.1:1/base/api/transactioncreate/qris"
        );
        assert_eq!(
            pakasir.pay_page("INV 1", 25_000),
            "https://pay.example/pay/toko/25000?order_id=INV+1&qris_only=1"
        );
    }

    #[test]
    fn the_key_never_prints() {
        let pakasir = client();
        assert!(!format!("{pakasir:?}").contains("sekret"));
    }

    #[tokio::test]
    async fn an_unreachable_gateway_is_transient_and_names_no_key() {
        let error = client()
            .detail("INV1", 1000)
            .await
            .expect_err("nothing listens");
        assert!(matches!(error, PakasirError::Transient(_)), "{error}");
        assert!(!error.to_string().contains("sekret"), "{error}");
    }
}
