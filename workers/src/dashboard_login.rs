//! One-time links into the web dashboard, made by the bot for an admin: a random token,
//! stored only as its SHA-256, valid for ten minutes and usable once (the ingress consumes it
//! and starts a session).

use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use crate::shop::ids::TelegramUserId;

pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// How a token is stored (and looked up).
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A fresh link token for the admin `telegram_id`.
pub async fn create(
    conn: &mut PgConnection,
    telegram_id: TelegramUserId,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query!(
        "INSERT INTO dashboard_logins (token_hash, telegram_id, expires_at) VALUES ($1, $2, now() + interval '10 minutes')",
        hash(&token),
        telegram_id.get()
    )
    .execute(&mut *conn)
    .await?;
    Ok(token)
}
