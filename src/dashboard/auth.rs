//! Who may use the dashboard: a session cookie made from a one-time login link (sent by the
//! bot to an admin, valid 10 minutes, usable once) or from `DASHBOARD_TOKEN`. Secrets are
//! stored hashed; every form carries the session's CSRF token and the cookie is
//! `SameSite=Strict; HttpOnly`.

use salvo::http::cookie::{Cookie, SameSite};
use salvo::prelude::*;
use sqlx::PgPool;
use workers::dashboard_login::{hash, random_token};
use workers::ui::texts::Locale;

pub const COOKIE: &str = "bao_session";
/// How long a session lasts.
const SESSION_HOURS: i32 = 12;

/// A signed-in dashboard user, and the language they read: an admin's own, from the bot
/// (none for the token, which names nobody).
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: String,
    pub csrf: String,
    pub locale: Option<Locale>,
}

/// Use a login link's token (once); the admin's Telegram id.
pub async fn use_login_link(pool: &PgPool, token: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"UPDATE dashboard_logins SET used_at = now()
           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
           RETURNING telegram_id"#,
        hash(token)
    )
    .fetch_optional(pool)
    .await
}

/// Start a session for `actor`; sets the cookie.
pub async fn start(pool: &PgPool, actor: &str, res: &mut Response) -> Result<(), sqlx::Error> {
    let id = random_token();
    sqlx::query!(
        r#"INSERT INTO dashboard_sessions (id_hash, actor, csrf, expires_at)
           VALUES ($1, $2, $3, now() + make_interval(hours => $4))"#,
        hash(&id),
        actor,
        random_token(),
        SESSION_HOURS
    )
    .execute(pool)
    .await?;
    sqlx::query!("DELETE FROM dashboard_sessions WHERE expires_at < now()")
        .execute(pool)
        .await?;
    let cookie = Cookie::build((COOKIE, id))
        .path("/dashboard")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(salvo::http::cookie::time::Duration::hours(i64::from(
            SESSION_HOURS,
        )))
        .build();
    res.add_cookie(cookie);
    Ok(())
}

/// The session of this request's cookie, if it is a live one.
pub async fn session(pool: &PgPool, req: &Request) -> Result<Option<Session>, sqlx::Error> {
    let Some(cookie) = req.cookie(COOKIE) else {
        return Ok(None);
    };
    let row = sqlx::query!(
        r#"SELECT s.actor AS "actor!", s.csrf AS "csrf!", u.locale AS "locale?"
           FROM dashboard_sessions s LEFT JOIN users u ON s.actor = 'web:tg:' || u.telegram_id
           WHERE s.id_hash = $1 AND s.expires_at > now()"#,
        hash(cookie.value())
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Session {
        actor: r.actor,
        csrf: r.csrf,
        locale: r.locale.as_deref().and_then(Locale::parse),
    }))
}

pub async fn end(pool: &PgPool, req: &Request) -> Result<(), sqlx::Error> {
    if let Some(cookie) = req.cookie(COOKIE) {
        sqlx::query!(
            "DELETE FROM dashboard_sessions WHERE id_hash = $1",
            hash(cookie.value())
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}
