//! The web dashboard on the ingress: server-rendered pages (no JavaScript) for the owner and
//! admins — overview with charts, jobs (filter, payload and error, retry or discard one or
//! many), orders, products and stock, the audit log. Sign-in by a one-time link the bot sends
//! an admin, or by `DASHBOARD_TOKEN`; see [`auth`].

mod auth;
mod notices;
mod pages;

use salvo::prelude::*;
use secrecy::{ExposeSecret, SecretString};
use sqlx::PgPool;
use subtle::ConstantTimeEq;
use workers::ui::texts::{DashText, Locale, Texts};

/// What the dashboard handlers share.
#[derive(Clone)]
pub struct Dashboard {
    pub pool: PgPool,
    /// `DASHBOARD_TOKEN`: sign in by typing it (besides links from the bot).
    pub token: Option<SecretString>,
    /// The configured shop time zone; the one set in ⚙️ Settings wins.
    pub timezone: chrono_tz::Tz,
}

pub fn router(dashboard: Dashboard) -> Router {
    use pages::Kind;
    let d = || dashboard.clone();
    let page = |path: &str, page: Kind| {
        Router::with_path(path).get(Page {
            dashboard: d(),
            page,
        })
    };
    let mut router = Router::with_path("dashboard")
        .get(Page {
            dashboard: d(),
            page: Kind::Overview,
        })
        .push(
            Router::with_path("login")
                .get(LoginForm)
                .post(TokenLogin(d())),
        )
        .push(Router::with_path("login/{token}").get(LinkLogin(d())))
        .push(Router::with_path("logout").post(Logout(d())))
        .push(Router::with_path("jobs/action").post(JobAction(d())));
    for (path, kind) in [
        ("jobs", Kind::Jobs),
        ("jobs/{id}", Kind::Job),
        ("orders", Kind::Orders),
        ("products", Kind::Products),
        ("audit", Kind::Audit),
        ("payments", Kind::Notices),
    ] {
        router = router.push(page(path, kind));
    }
    router
}

fn failed(res: &mut Response, status: StatusCode, what: &str, error: impl std::fmt::Display) {
    tracing::warn!(%error, what, "dashboard request failed");
    let t = Texts::builtin(Locale::Id);
    res.status_code(status);
    res.render(Text::Html(pages::layout(
        &t,
        t.get(DashText::ErrorTitle),
        None,
        &format!(
            "<p class=\"bad\">{}</p><p><a href=\"/dashboard\">{}</a></p>",
            pages::esc(&format!("{what}: {error}")),
            t.get(DashText::BackToOverview)
        ),
    )));
}

/// The texts of someone the bot does not know (before sign-in, or signed in with the token):
/// the browser's language (Indonesian unless English).
fn browser_texts(req: &Request) -> Texts {
    let language = req
        .headers()
        .get("accept-language")
        .and_then(|v| v.to_str().ok());
    Texts::builtin(Locale::from_language(language))
}

fn to_login(res: &mut Response) {
    res.render(Redirect::other("/dashboard/login"));
}

/// A page that needs a session.
struct Page {
    dashboard: Dashboard,
    page: pages::Kind,
}

/// The shop's time zone now: an admin's setting, else the configured one.
async fn zone(pool: &PgPool, configured: chrono_tz::Tz) -> Result<chrono_tz::Tz, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let overrides = workers::settings::Overrides::load(&mut conn).await?;
    Ok(overrides.timezone().unwrap_or(configured))
}

#[handler]
impl Page {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let pool = &self.dashboard.pool;
        let session = match auth::session(pool, req).await {
            Ok(Some(session)) => session,
            Ok(None) => return to_login(res),
            Err(error) => {
                return failed(res, StatusCode::SERVICE_UNAVAILABLE, "the database", error);
            }
        };
        let zone = match zone(pool, self.dashboard.timezone).await {
            Ok(zone) => zone,
            Err(error) => {
                return failed(res, StatusCode::SERVICE_UNAVAILABLE, "the database", error);
            }
        };
        let locale = session.locale.unwrap_or(browser_texts(req).locale());
        let texts = match pool.acquire().await {
            Ok(mut conn) => Texts::load(&mut conn, locale).await,
            Err(error) => Err(error),
        };
        let t = match texts {
            Ok(t) => t,
            Err(error) => {
                return failed(res, StatusCode::SERVICE_UNAVAILABLE, "the database", error);
            }
        };
        let view = pages::View { pool, zone, t: &t };
        match pages::render(&view, self.page, req, &session).await {
            Ok(Some(html)) => res.render(Text::Html(html)),
            Ok(None) => failed(res, StatusCode::NOT_FOUND, "not found", "no such item"),
            Err(error) => failed(res, StatusCode::SERVICE_UNAVAILABLE, "the database", error),
        }
    }
}

struct LoginForm;

#[handler]
impl LoginForm {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        res.render(Text::Html(pages::login(&browser_texts(req), None)));
    }
}

struct TokenLogin(Dashboard);

#[handler]
impl TokenLogin {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let given: String = req.form("token").await.unwrap_or_default();
        let valid = self
            .0
            .token
            .as_ref()
            .is_some_and(|t| bool::from(given.as_bytes().ct_eq(t.expose_secret().as_bytes())));
        if !valid {
            tracing::warn!("dashboard sign-in with a wrong token");
            res.status_code(StatusCode::UNAUTHORIZED);
            let t = browser_texts(req);
            res.render(Text::Html(pages::login(&t, Some(DashText::WrongToken))));
            return;
        }
        match auth::start(&self.0.pool, "web:token", res).await {
            Ok(()) => res.render(Redirect::other("/dashboard")),
            Err(error) => failed(res, StatusCode::SERVICE_UNAVAILABLE, "sign-in", error),
        }
    }
}

struct LinkLogin(Dashboard);

#[handler]
impl LinkLogin {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let token: String = req.param("token").unwrap_or_default();
        match auth::use_login_link(&self.0.pool, &token).await {
            Ok(Some(telegram_id)) => {
                let actor = format!("web:tg:{telegram_id}");
                match auth::start(&self.0.pool, &actor, res).await {
                    Ok(()) => res.render(Redirect::other("/dashboard")),
                    Err(error) => failed(res, StatusCode::SERVICE_UNAVAILABLE, "sign-in", error),
                }
            }
            Ok(None) => {
                tracing::warn!("a used, expired or unknown dashboard link was opened");
                res.status_code(StatusCode::UNAUTHORIZED);
                let t = browser_texts(req);
                res.render(Text::Html(pages::login(&t, Some(DashText::LinkUsed))));
            }
            Err(error) => failed(res, StatusCode::SERVICE_UNAVAILABLE, "sign-in", error),
        }
    }
}

struct Logout(Dashboard);

#[handler]
impl Logout {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        if let Err(error) = auth::end(&self.0.pool, req).await {
            tracing::warn!(%error, "dashboard session not removed");
        }
        to_login(res);
    }
}

/// Retry or discard the selected jobs (a form with the session's CSRF token).
struct JobAction(Dashboard);

#[handler]
impl JobAction {
    async fn handle(&self, req: &mut Request, res: &mut Response) {
        let pool = &self.0.pool;
        let session = match auth::session(pool, req).await {
            Ok(Some(session)) => session,
            Ok(None) => return to_login(res),
            Err(error) => {
                return failed(res, StatusCode::SERVICE_UNAVAILABLE, "the database", error);
            }
        };
        let form = match req.form_data().await {
            Ok(form) => form.fields.clone(),
            Err(error) => return failed(res, StatusCode::BAD_REQUEST, "the form", error),
        };
        let csrf = form.get("csrf").map(String::as_str).unwrap_or("");
        if !bool::from(csrf.as_bytes().ct_eq(session.csrf.as_bytes())) {
            tracing::warn!(actor = %session.actor, "dashboard form without its CSRF token refused");
            return failed(
                res,
                StatusCode::FORBIDDEN,
                "refused",
                "the form is stale or not from this dashboard; reload the page and try again",
            );
        }
        let action = form.get("action").map(String::as_str).unwrap_or("");
        let ids: Vec<String> = form.get_vec("id").cloned().unwrap_or_default();
        match pages::job_action(pool, &session, action, &ids).await {
            Ok(back) => res.render(Redirect::other(back)),
            Err(error) => failed(res, StatusCode::SERVICE_UNAVAILABLE, "the action", error),
        }
    }
}
