//! A thin Bot API client for sending: one HTTP call per method, the answer classified, nothing
//! else. (teloxide's client sleeps 10 s after any 5xx before it even returns the error, which
//! a send job would spend holding its chat's lock; retries and their pacing are the queue's.)

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

/// How long one Bot API call may take (a photo upload included).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Talks to `<api_url>/bot<token>/<method>`; the token never appears in errors or logs.
#[derive(Debug, Clone)]
pub struct BotApi {
    client: reqwest::Client,
    api_url: String,
    token: SecretString,
}

/// Why a Bot API call did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No answer: connection refused, reset, timed out.
    #[error("network error talking to Telegram ({method}): {detail}")]
    Network { method: String, detail: String },
    /// Telegram's side failed (5xx) or answered something that is not its JSON.
    #[error("Telegram failed ({method}): HTTP {status}: {detail}")]
    Server {
        method: String,
        status: u16,
        detail: String,
    },
    /// Telegram answered `ok: false`.
    #[error("Telegram refused {method}: {description}")]
    Refused {
        method: String,
        code: u16,
        description: String,
        /// Flood control: wait this long before the next call.
        retry_after: Option<u64>,
    },
}

impl ApiError {
    /// A refusal whose description contains `phrase` (case-insensitive).
    pub fn says(&self, phrase: &str) -> bool {
        matches!(self, ApiError::Refused { description, .. }
            if description.to_lowercase().contains(phrase))
    }
}

impl BotApi {
    pub fn new(api_url: &str, token: SecretString) -> Result<Self, reqwest::Error> {
        Ok(Self {
            client: reqwest::Client::builder().timeout(CALL_TIMEOUT).build()?,
            api_url: api_url.trim_end_matches('/').to_owned(),
            token,
        })
    }

    fn url(&self, method: &str) -> String {
        format!(
            "{}/bot{}/{method}",
            self.api_url,
            self.token.expose_secret()
        )
    }

    /// Call `method` with JSON parameters; its `result`.
    pub async fn call(&self, method: &str, params: &Value) -> Result<Value, ApiError> {
        let request = self.client.post(self.url(method)).json(params);
        self.answer(method, request).await
    }

    /// [`Self::call`] for a method that holds the answer back (`getUpdates` long polling).
    pub async fn call_waiting(
        &self,
        method: &str,
        params: &Value,
        timeout: Duration,
    ) -> Result<Value, ApiError> {
        let request = self
            .client
            .post(self.url(method))
            .json(params)
            .timeout(timeout);
        self.answer(method, request).await
    }

    /// Upload a PNG as `sendPhoto`'s photo, with the other parameters as form fields (objects
    /// as JSON text, as the Bot API expects).
    pub async fn send_photo_png(&self, png: Vec<u8>, params: &Value) -> Result<Value, ApiError> {
        let mut form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(png)
                .file_name("image.png")
                .mime_str("image/png")
                .map_err(|e| network("sendPhoto", &e))?,
        );
        if let Value::Object(fields) = params {
            for (name, value) in fields {
                let text = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                form = form.text(name.clone(), text);
            }
        }
        let request = self.client.post(self.url("sendPhoto")).multipart(form);
        self.answer("sendPhoto", request).await
    }

    async fn answer(
        &self,
        method: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Value, ApiError> {
        let answer = self.answer_of(method, request).await;
        if let Err(error) = &answer {
            let code = match error {
                ApiError::Network { .. } => "network".to_owned(),
                ApiError::Server { status, .. } => status.to_string(),
                ApiError::Refused { code, .. } => code.to_string(),
            };
            crate::metrics::metrics()
                .telegram_errors
                .with_label_values(&[method, code.as_str()])
                .inc();
        }
        answer
    }

    async fn answer_of(
        &self,
        method: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Value, ApiError> {
        let response = request.send().await.map_err(|e| network(method, &e))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| network(method, &e))?;
        let parsed: Option<Value> = serde_json::from_slice(&body).ok();
        match parsed {
            Some(mut answer) if answer["ok"] == Value::Bool(true) => Ok(answer
                .get_mut("result")
                .map(Value::take)
                .unwrap_or(Value::Null)),
            Some(answer) if status < 500 && answer["ok"] == Value::Bool(false) => {
                Err(ApiError::Refused {
                    method: method.to_owned(),
                    code: answer["error_code"]
                        .as_u64()
                        .and_then(|code| u16::try_from(code).ok())
                        .unwrap_or(status),
                    description: answer["description"]
                        .as_str()
                        .unwrap_or("no description")
                        .to_owned(),
                    retry_after: answer["parameters"]["retry_after"].as_u64(),
                })
            }
            _ => Err(ApiError::Server {
                method: method.to_owned(),
                status,
                detail: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
            }),
        }
    }
}

/// Why a file could not be downloaded.
#[derive(Debug)]
pub enum Download {
    /// Bigger than allowed (its size in bytes).
    TooLarge(u64),
    Failed(ApiError),
}

impl BotApi {
    /// Download a file a user sent (`getFile`, then the file itself), refusing files over
    /// `max` bytes.
    pub async fn download(&self, file_id: &str, max: u32) -> Result<Vec<u8>, Download> {
        let file = self
            .call("getFile", &serde_json::json!({ "file_id": file_id }))
            .await
            .map_err(Download::Failed)?;
        let size = file["file_size"].as_u64().unwrap_or(0);
        if size > u64::from(max) {
            return Err(Download::TooLarge(size));
        }
        let Some(path) = file["file_path"].as_str() else {
            return Err(Download::Failed(ApiError::Server {
                method: "getFile".to_owned(),
                status: 200,
                detail: "no file_path in the answer".to_owned(),
            }));
        };
        let url = format!(
            "{}/file/bot{}/{path}",
            self.api_url,
            self.token.expose_secret()
        );
        let failed = |e: reqwest::Error| Download::Failed(network("file download", &e));
        let response = self.client.get(url).send().await.map_err(failed)?;
        let status = response.status();
        if !status.is_success() {
            return Err(Download::Failed(ApiError::Server {
                method: "file download".to_owned(),
                status: status.as_u16(),
                detail: "the file could not be fetched".to_owned(),
            }));
        }
        let bytes = response.bytes().await.map_err(failed)?;
        if bytes.len() > usize::try_from(max).unwrap_or(usize::MAX) {
            return Err(Download::TooLarge(bytes.len() as u64));
        }
        Ok(bytes.to_vec())
    }
}

/// A transport error, stripped of the URL (which holds the token).
fn network(method: &str, error: &reqwest::Error) -> ApiError {
    let error = error_without_url(error);
    ApiError::Network {
        method: method.to_owned(),
        detail: error,
    }
}

fn error_without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else {
        "request failed"
    };
    match std::error::Error::source(error) {
        Some(source) => format!("{kind}: {source}"),
        None => kind.to_owned(),
    }
}
