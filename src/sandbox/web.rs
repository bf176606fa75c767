//! The sandbox's web chat on the ingress (only in sandbox mode):
//!
//! * `GET /sandbox`: the page (chat, customer/admin switch, jobs panel);
//! * `GET /sandbox/api/chat?as=customer|admin`: the chat as the page shows it ([`transcript`]);
//! * `POST /sandbox/api/send`, `/press`, `/upload` (multipart `file`): a message, a button
//!   press, a file, delivered to the shop as Telegram updates through the stand-in;
//! * `POST /sandbox/api/pay`: the stand-in Pakasir marks the order paid and fires its webhook;
//! * `GET /sandbox/api/jobs`: job counts by state and the latest jobs;
//! * `GET /sandbox/file/{id}`: a file the bot sent (the QR invoice) or the person uploaded.

use std::time::Instant;

use jobs::admin::JobFilter;
use salvo::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::PgPool;

use super::transcript::{self, Sent};
use super::{ADMIN, CUSTOMER, Sandbox};

/// The largest text a person may send (Telegram's own limit).
const MAX_TEXT: usize = 4096;
/// The largest file the web chat accepts.
const MAX_UPLOAD: u64 = 1024 * 1024;

#[derive(Clone)]
pub struct Web {
    pub sandbox: Sandbox,
    pub pool: PgPool,
}

#[derive(Clone, Copy)]
enum Action {
    Page,
    Chat,
    Send,
    Press,
    Upload,
    Pay,
    Jobs,
    File,
}

pub fn router(web: Web) -> Router {
    let at = |action| Endpoint {
        web: web.clone(),
        action,
    };
    Router::with_path("sandbox")
        .get(at(Action::Page))
        .push(Router::with_path("api/chat").get(at(Action::Chat)))
        .push(Router::with_path("api/send").post(at(Action::Send)))
        .push(Router::with_path("api/press").post(at(Action::Press)))
        .push(Router::with_path("api/upload").post(at(Action::Upload)))
        .push(Router::with_path("api/pay").post(at(Action::Pay)))
        .push(Router::with_path("api/jobs").get(at(Action::Jobs)))
        .push(Router::with_path("file/{id}").get(at(Action::File)))
}

struct Endpoint {
    web: Web,
    action: Action,
}

/// Who the person is in the web chat.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Who {
    Customer,
    Admin,
}

impl Who {
    fn parse(value: Option<&str>) -> Result<Who, String> {
        match value {
            Some("customer") | None => Ok(Who::Customer),
            Some("admin") => Ok(Who::Admin),
            Some(other) => Err(format!(
                "unknown participant {other:?}: use customer or admin"
            )),
        }
    }

    fn chat(self) -> i64 {
        match self {
            Who::Customer => CUSTOMER,
            Who::Admin => ADMIN,
        }
    }

    fn user(self) -> Value {
        let name = match self {
            Who::Customer => "Sandbox Customer",
            Who::Admin => "Sandbox Admin",
        };
        json!({ "id": self.chat(), "is_bot": false, "first_name": name, "language_code": "en" })
    }

    fn chat_json(self) -> Value {
        json!({ "id": self.chat(), "type": "private", "first_name": "Sandbox" })
    }
}

#[derive(Deserialize)]
struct SendBody {
    #[serde(rename = "as")]
    who: Who,
    text: String,
}

#[derive(Deserialize)]
struct PressBody {
    #[serde(rename = "as")]
    who: Who,
    message_id: i64,
    data: String,
}

#[derive(Deserialize)]
struct PayBody {
    order: String,
}

#[handler]
impl Endpoint {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let answer = match self.action {
            Action::Page => {
                res.render(Text::Html(include_str!("page.html")));
                return;
            }
            Action::File => return self.file(req, res),
            Action::Chat => self.chat(req),
            Action::Send => self.send(req).await,
            Action::Press => self.press(req).await,
            Action::Upload => self.upload(req).await,
            Action::Pay => self.pay(req).await,
            Action::Jobs => self.jobs().await,
        };
        match answer {
            Ok(body) => res.render(Json(body)),
            Err(error) => {
                tracing::warn!(path = %req.uri().path(), %error, "sandbox request refused");
                res.status_code(StatusCode::BAD_REQUEST);
                res.render(Json(json!({ "error": error })));
            }
        }
    }
}

impl Endpoint {
    fn chat(&self, req: &Request) -> Result<Value, String> {
        let who = Who::parse(req.query::<&str>("as"))?;
        let sandbox = &self.web.sandbox;
        let view = transcript::build(
            who.chat(),
            &sandbox.api.delivered_to(who.chat()),
            &sandbox
                .api
                .calls_matching(|call| transcript::is_notice(who.chat(), call)),
            &sandbox.sent(),
            |order| {
                sandbox
                    .pakasir
                    .transaction(order)
                    .is_some_and(|t| t.status == "pending")
            },
        );
        serde_json::to_value(view).map_err(|e| e.to_string())
    }

    async fn send(&self, req: &mut Request) -> Result<Value, String> {
        let body: SendBody = req
            .parse_json()
            .await
            .map_err(|e| format!("expected {{\"as\", \"text\"}}: {e}"))?;
        let text = body.text.trim();
        if text.is_empty() || text.chars().count() > MAX_TEXT {
            return Err(format!("a message is 1 to {MAX_TEXT} characters"));
        }
        let update = self.message(body.who, text, json!({ "text": text }));
        Ok(json!({ "update_id": update }))
    }

    async fn press(&self, req: &mut Request) -> Result<Value, String> {
        let body: PressBody = req
            .parse_json()
            .await
            .map_err(|e| format!("expected {{\"as\", \"message_id\", \"data\"}}: {e}"))?;
        if body.data.is_empty() || body.data.len() > 64 {
            return Err("button data is 1 to 64 bytes".to_owned());
        }
        let id = format!(
            "{}{}",
            transcript::press_prefix(body.who.chat()),
            next_message_id()
        );
        let who = body.who;
        let update = self.web.sandbox.api.push_update(json!({ "callback_query": {
            "id": id, "from": who.user(), "chat_instance": "sandbox", "data": body.data,
            "message": {
                "message_id": body.message_id, "date": chrono::Utc::now().timestamp(),
                "chat": who.chat_json(), "text": "",
            },
        }}));
        Ok(json!({ "update_id": update }))
    }

    async fn upload(&self, req: &mut Request) -> Result<Value, String> {
        let who = Who::parse(req.query::<&str>("as"))?;
        let file = req
            .file("file")
            .await
            .ok_or("send the file as the multipart field `file`")?;
        if file.size() > MAX_UPLOAD {
            return Err(format!(
                "the file is {} bytes; the sandbox takes up to {MAX_UPLOAD}",
                file.size()
            ));
        }
        let name = file.name().unwrap_or("upload.txt").to_owned();
        let bytes =
            std::fs::read(file.path()).map_err(|e| format!("cannot read the upload: {e}"))?;
        let size = bytes.len();
        let file_id = self.web.sandbox.api.add_file(bytes);
        let document = json!({ "document": {
            "file_id": file_id, "file_unique_id": file_id, "file_name": name, "file_size": size,
        }});
        let update = self.message(who, &format!("📄 {name}"), document);
        Ok(json!({ "update_id": update }))
    }

    async fn pay(&self, req: &mut Request) -> Result<Value, String> {
        let body: PayBody = req
            .parse_json()
            .await
            .map_err(|e| format!("expected {{\"order\"}}: {e}"))?;
        let status = self.web.sandbox.pakasir.pay(&body.order).await?;
        tracing::info!(order = %body.order, status, "sandbox: payment simulated");
        Ok(json!({ "webhook_status": status }))
    }

    async fn jobs(&self) -> Result<Value, String> {
        let pool = &self.web.pool;
        let failed = |e: jobs::QueueError| format!("cannot read the job queue: {e}");
        let stats = jobs::admin::stats(pool).await.map_err(failed)?;
        let filter = JobFilter {
            limit: 25,
            ..JobFilter::default()
        };
        let recent = jobs::admin::list(pool, &filter).await.map_err(failed)?;
        let total = |pick: fn(&jobs::QueueStats) -> i64| stats.iter().map(pick).sum::<i64>();
        Ok(json!({
            "counts": {
                "pending": total(|s| s.pending), "scheduled": total(|s| s.scheduled),
                "running": total(|s| s.running), "retrying": total(|s| s.retrying),
                "failed": total(|s| s.failed), "done": total(|s| s.done),
            },
            "recent": recent.iter().map(|j| json!({
                "id": j.id, "kind": j.kind.as_deref().unwrap_or(&j.queue), "state": j.state,
                "attempts": j.attempts, "at": j.run_at.format("%H:%M:%S").to_string(),
            })).collect::<Vec<_>>(),
        }))
    }

    fn file(&self, req: &Request, res: &mut Response) {
        let id = req.param::<&str>("id").unwrap_or("");
        match self.web.sandbox.api.file(id) {
            Some(bytes) => {
                let kind = if bytes.starts_with(b"\x89PNG") {
                    "image/png"
                } else {
                    "application/octet-stream"
                };
                res.add_header("content-type", kind, true).ok();
                res.write_body(bytes).ok();
            }
            None => {
                res.status_code(StatusCode::NOT_FOUND);
                res.render(Json(json!({ "error": format!("no file {id:?}") })));
            }
        }
    }

    /// Deliver a message from `who` with `content` (its text, document, …) and remember it
    /// (as `shown`) for the chat.
    fn message(&self, who: Who, shown: &str, content: Value) -> i64 {
        self.web.sandbox.sent().push(Sent {
            chat: who.chat(),
            at: Instant::now(),
            text: shown.to_owned(),
        });
        let mut message = json!({
            "message_id": next_message_id(), "date": chrono::Utc::now().timestamp(),
            "chat": who.chat_json(), "from": who.user(),
        });
        if let (Some(message), Value::Object(content)) = (message.as_object_mut(), content) {
            message.extend(content);
        }
        self.web
            .sandbox
            .api
            .push_update(json!({ "message": message }))
    }
}

/// Message ids for what the person sends (the bot's own come from the stand-in).
fn next_message_id() -> i64 {
    use std::sync::atomic::{AtomicI64, Ordering};
    static NEXT: AtomicI64 = AtomicI64::new(1_000_000);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
