//! A stand-in Pakasir: `transactioncreate/qris`, `transactiondetail`, `transactioncancel` and
//! `paymentsimulation` as documented, with a configurable fee and lifetime. Tests (and the
//! sandbox) pay a transaction with [`PakasirStandin::pay`], which fires the webhook the way
//! Pakasir does; [`PakasirStandin::post_webhook`] sends anything else (duplicates, forged or
//! late notices). It can answer 5xx or hang on demand.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use salvo::prelude::*;
use serde_json::{Value, json};

/// One transaction as the stand-in keeps it.
#[derive(Debug, Clone)]
pub struct Transaction {
    pub amount: i64,
    pub fee: i64,
    /// `pending`, `completed` or `cancelled`.
    pub status: String,
}

/// What to do instead of answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    ServerError,
    /// Never answer (until the client gives up).
    Hang,
}

#[derive(Default)]
struct State {
    transactions: HashMap<String, Transaction>,
    faults: Vec<(String, Fault, u32)>,
    calls: Vec<(String, Value)>,
    webhook_url: Option<String>,
    /// `pending` unless a test says what `transactiondetail` should claim.
    detail_override: HashMap<String, String>,
    /// (per mille, flat) when set by [`PakasirStandin::set_fee`].
    fee: Option<(i64, i64)>,
}

#[derive(Clone)]
pub struct PakasirStandin {
    state: Arc<Mutex<State>>,
    http: reqwest::Client,
    /// `PAKASIR_API_URL` for the shop.
    pub url: String,
    pub project: String,
    pub api_key: String,
    /// How long a new transaction stays payable.
    pub lifetime: Arc<Mutex<Duration>>,
}

impl PakasirStandin {
    pub async fn start(project: &str, api_key: &str) -> std::io::Result<Self> {
        let (acceptor, addr) = super::listen().await?;
        let standin = PakasirStandin {
            state: Arc::new(Mutex::new(State::default())),
            http: reqwest::Client::new(),
            url: format!("http://{addr}"),
            project: project.to_owned(),
            api_key: api_key.to_owned(),
            lifetime: Arc::new(Mutex::new(Duration::from_secs(15 * 60))),
        };
        super::serve(acceptor, Endpoint(standin.clone()));
        Ok(standin)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        super::locked(&self.state)
    }

    /// Where `pay` and `post_webhook` send notices (the shop's `/webhooks/pakasir`).
    pub fn set_webhook(&self, url: &str) {
        self.state().webhook_url = Some(url.to_owned());
    }

    /// New transactions expire after `lifetime`.
    pub fn set_lifetime(&self, lifetime: Duration) {
        *self
            .lifetime
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = lifetime;
    }

    /// Charge `per_mille` ‰ of the amount (rounded up) plus `flat` rupiah on new transactions
    /// (Pakasir's QRIS fee, 7 ‰ + Rp 310, unless told otherwise).
    pub fn set_fee(&self, per_mille: i64, flat: i64) {
        self.state().fee = Some((per_mille, flat));
    }

    /// The fee a new transaction of `amount` gets.
    pub fn fee(&self, amount: i64) -> i64 {
        let (per_mille, flat) = self.state().fee.unwrap_or((7, 310));
        (amount * per_mille + 999) / 1000 + flat
    }

    /// Answer the next `times` calls of `method` (`transactioncreate`, `transactiondetail`,
    /// ...) with `fault`.
    pub fn fail(&self, method: &str, fault: Fault, times: u32) {
        self.state().faults.push((method.to_owned(), fault, times));
    }

    /// Make `transactiondetail` claim `status` for `order_id` whatever happened.
    pub fn claim_status(&self, order_id: &str, status: &str) {
        self.state()
            .detail_override
            .insert(order_id.to_owned(), status.to_owned());
    }

    /// Know a transaction without `transactioncreate` (benchmarks set up many at once).
    pub fn insert(&self, order_id: &str, amount: i64, status: &str) {
        let transaction = Transaction {
            amount,
            fee: self.fee(amount),
            status: status.to_owned(),
        };
        self.state()
            .transactions
            .insert(order_id.to_owned(), transaction);
    }

    pub fn transaction(&self, order_id: &str) -> Option<Transaction> {
        self.state().transactions.get(order_id).cloned()
    }

    pub fn transactions(&self) -> Vec<(String, Transaction)> {
        self.state()
            .transactions
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Every call as (method, parameters).
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.state().calls.clone()
    }

    /// The customer pays: the transaction completes and the webhook fires (its HTTP status).
    pub async fn pay(&self, order_id: &str) -> Result<u16, String> {
        let amount = {
            let mut state = self.state();
            let transaction = state
                .transactions
                .get_mut(order_id)
                .ok_or_else(|| format!("no transaction {order_id}"))?;
            transaction.status = "completed".to_owned();
            transaction.amount
        };
        self.post_webhook(&self.notice(order_id, amount)).await
    }

    /// The webhook body Pakasir sends for a completed payment.
    pub fn notice(&self, order_id: &str, amount: i64) -> Value {
        json!({
            "amount": amount,
            "order_id": order_id,
            "project": self.project,
            "status": "completed",
            "payment_method": "qris",
            "completed_at": "2025-09-10T08:07:02.819+07:00",
        })
    }

    /// POST `body` to the webhook as Pakasir would; returns the shop's HTTP status.
    pub async fn post_webhook(&self, body: &Value) -> Result<u16, String> {
        let url = self
            .state()
            .webhook_url
            .clone()
            .ok_or("no webhook URL set")?;
        self.http
            .post(url)
            .json(body)
            .send()
            .await
            .map(|r| r.status().as_u16())
            .map_err(|e| e.to_string())
    }

    fn take_fault(&self, method: &str) -> Option<Fault> {
        let mut state = self.state();
        let index = state
            .faults
            .iter()
            .position(|(m, _, left)| *left > 0 && m == method)?;
        let (_, fault, left) = &mut state.faults[index];
        *left -= 1;
        let fault = *fault;
        if state.faults[index].2 == 0 {
            state.faults.remove(index);
        }
        Some(fault)
    }

    fn authorised(&self, params: &Value) -> bool {
        params["project"] == self.project.as_str() && params["api_key"] == self.api_key.as_str()
    }

    fn answer(&self, method: &str, params: &Value) -> (StatusCode, Value) {
        if !self.authorised(params) {
            return (
                StatusCode::UNAUTHORIZED,
                json!({ "error": "invalid project or api_key" }),
            );
        }
        let order_id = params["order_id"].as_str().unwrap_or("").to_owned();
        let amount = params["amount"]
            .as_i64()
            .or_else(|| params["amount"].as_str().and_then(|s| s.parse().ok()))
            .unwrap_or(0);
        if order_id.is_empty() || amount <= 0 {
            return (
                StatusCode::BAD_REQUEST,
                json!({ "error": "order_id and a positive amount are required" }),
            );
        }
        let fee = self.fee(amount);
        let mut state = self.state();
        match method {
            "transactioncreate" => {
                let transaction = state
                    .transactions
                    .entry(order_id.clone())
                    .or_insert(Transaction {
                        amount,
                        fee,
                        status: "pending".to_owned(),
                    })
                    .clone();
                if transaction.amount != amount {
                    return (
                        StatusCode::BAD_REQUEST,
                        json!({ "error": "order_id exists with another amount" }),
                    );
                }
                let lifetime = *self
                    .lifetime
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let expired_at =
                    chrono::Utc::now() + chrono::Duration::from_std(lifetime).unwrap_or_default();
                (
                    StatusCode::OK,
                    json!({ "payment": {
                        "project": self.project, "order_id": order_id, "amount": amount,
                        "fee": fee, "total_payment": amount + fee, "payment_method": "qris",
                        "payment_number": format!("00020101021226610016ID.CO.QRIS.WWW0118{order_id}5204599953033605405{amount}6304ABCD"),
                        "expired_at": expired_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
                    }}),
                )
            }
            "transactiondetail" => {
                let Some(transaction) = state.transactions.get(&order_id) else {
                    return (
                        StatusCode::NOT_FOUND,
                        json!({ "error": "transaction not found" }),
                    );
                };
                let status = state
                    .detail_override
                    .get(&order_id)
                    .cloned()
                    .unwrap_or_else(|| transaction.status.clone());
                (
                    StatusCode::OK,
                    json!({ "transaction": {
                        "amount": transaction.amount, "order_id": order_id, "project": self.project,
                        "status": status, "payment_method": "qris",
                        "completed_at": "2025-09-10T08:07:02.819+07:00",
                    }}),
                )
            }
            "transactioncancel" => match state.transactions.get_mut(&order_id) {
                Some(transaction) if transaction.status == "pending" => {
                    transaction.status = "cancelled".to_owned();
                    (StatusCode::OK, json!({ "success": true }))
                }
                Some(_) => (
                    StatusCode::BAD_REQUEST,
                    json!({ "error": "transaction is not pending" }),
                ),
                None => (
                    StatusCode::NOT_FOUND,
                    json!({ "error": "transaction not found" }),
                ),
            },
            "paymentsimulation" => match state.transactions.get_mut(&order_id) {
                Some(transaction) => {
                    transaction.status = "completed".to_owned();
                    (
                        StatusCode::OK,
                        json!({ "success": true, "fire_webhook": true }),
                    )
                }
                None => (
                    StatusCode::NOT_FOUND,
                    json!({ "error": "transaction not found" }),
                ),
            },
            _ => (
                StatusCode::NOT_FOUND,
                json!({ "error": "unknown endpoint" }),
            ),
        }
    }
}

struct Endpoint(PakasirStandin);

#[handler]
impl Endpoint {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let path = req.uri().path().trim_start_matches("/api/").to_owned();
        let method = path.split('/').next().unwrap_or("").to_owned();
        let params = if req.method() == salvo::http::Method::GET {
            Value::Object(
                req.queries()
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            )
        } else {
            req.parse_json::<Value>().await.unwrap_or(Value::Null)
        };
        self.0.state().calls.push((method.clone(), params.clone()));
        match self.0.take_fault(&method) {
            Some(Fault::ServerError) => {
                res.status_code(StatusCode::BAD_GATEWAY);
                res.render(Json(json!({ "error": "upstream unavailable" })));
                return;
            }
            Some(Fault::Hang) => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
            None => {}
        }
        let (status, body) = self.0.answer(&method, &params);
        if method == "paymentsimulation" && status == StatusCode::OK {
            let amount = self
                .0
                .transaction(params["order_id"].as_str().unwrap_or(""))
                .map_or(0, |t| t.amount);
            let notice = self
                .0
                .notice(params["order_id"].as_str().unwrap_or(""), amount);
            let standin = self.0.clone();
            tokio::spawn(async move {
                if let Err(error) = standin.post_webhook(&notice).await {
                    tracing::warn!(%error, "stand-in Pakasir could not fire the webhook");
                }
            });
        }
        res.status_code(status);
        res.render(Json(body));
    }
}
