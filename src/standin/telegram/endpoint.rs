//! The HTTP side: `POST /bot<token>/<method>`, JSON or multipart bodies, long polling.

use super::{Fault, TelegramStandin};
use salvo::prelude::*;
use serde_json::{Value, json};

pub(super) struct PollGuard(pub(super) TelegramStandin);

impl Drop for PollGuard {
    fn drop(&mut self) {
        self.0.state().polling -= 1;
    }
}

pub(super) struct Endpoint(pub(super) TelegramStandin);

#[handler]
impl Endpoint {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let path = req.uri().path().to_owned();
        if path.starts_with("/file/") {
            let id = path
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".txt")
                .to_owned();
            match self.0.state().files.get(&id) {
                Some(bytes) => res.write_body(bytes.clone()).unwrap_or_default(),
                None => {
                    res.status_code(StatusCode::NOT_FOUND);
                }
            };
            return;
        }
        let method = path.rsplit('/').next().unwrap_or("").to_lowercase();
        let body = self.0.read_body(req).await;
        match self.0.answer(&method, body).await {
            Ok(result) => res.render(Json(json!({ "ok": true, "result": result }))),
            Err(fault) => {
                let (status, description, parameters) = match fault {
                    Fault::RetryAfter(secs) => (
                        StatusCode::TOO_MANY_REQUESTS,
                        format!("Too Many Requests: retry after {secs}"),
                        Some(json!({ "retry_after": secs })),
                    ),
                    Fault::Blocked => (
                        StatusCode::FORBIDDEN,
                        "Forbidden: bot was blocked by the user".to_owned(),
                        None,
                    ),
                    Fault::ChatNotFound => (
                        StatusCode::BAD_REQUEST,
                        "Bad Request: chat not found".to_owned(),
                        None,
                    ),
                    Fault::BadRequest(text) => (
                        StatusCode::BAD_REQUEST,
                        format!("Bad Request: {text}"),
                        None,
                    ),
                    Fault::Conflict => (
                        StatusCode::CONFLICT,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running".to_owned(),
                        None,
                    ),
                    Fault::ServerError => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Internal Server Error".to_owned(),
                        None,
                    ),
                };
                res.status_code(status);
                let mut answer = json!({
                    "ok": false,
                    "error_code": status.as_u16(),
                    "description": description,
                });
                if let Some(parameters) = parameters {
                    answer["parameters"] = parameters;
                }
                res.render(Json(answer));
            }
        }
    }
}

impl TelegramStandin {
    /// JSON bodies as they are; multipart fields as strings (JSON-looking ones parsed), files as
    /// `{"file": name, "size": bytes, "file_id": id}` with their bytes kept (see [`Self::file`]).
    pub(super) async fn read_body(&self, req: &mut Request) -> Value {
        let multipart = req
            .content_type()
            .is_some_and(|ct| ct.essence_str() == "multipart/form-data");
        if !multipart {
            return req.parse_json::<Value>().await.unwrap_or(Value::Null);
        }
        let mut body = serde_json::Map::new();
        if let Ok(form) = req.form_data().await {
            for (name, value) in form.fields.iter() {
                let value = serde_json::from_str::<Value>(value)
                    .ok()
                    .filter(|v| v.is_object() || v.is_array() || v.is_number())
                    .unwrap_or_else(|| Value::String(value.clone()));
                body.insert(name.clone(), value);
            }
            for (name, file) in form.files.iter() {
                let bytes = std::fs::read(file.path()).unwrap_or_default();
                let described = json!({
                    "file": file.name().unwrap_or(""),
                    "size": bytes.len(),
                    "file_id": self.keep_file(bytes),
                });
                // Telegram's `attach://<name>` points a field at an uploaded part.
                let reference = format!("attach://{name}");
                let field = body
                    .iter()
                    .find(|(_, v)| v.as_str() == Some(reference.as_str()))
                    .map(|(k, _)| k.clone());
                body.insert(field.unwrap_or_else(|| name.clone()), described);
            }
        }
        Value::Object(body)
    }
}
