//! Conversation state: what the bot is waiting for in a chat (a voucher code, a new name),
//! a typed enum stored as JSON in `conversations` with an expiry. An expired state is
//! deleted when read and reported as such, so the customer hears that the time ran out
//! instead of having their next message misread.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::JobError;
use crate::shop::ids::{ChatId, OrderId, ProductId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum State {
    /// The next text is a voucher code for the cart.
    VoucherCode,
    /// The next text is the customer's new display name.
    DisplayName,
    /// The next text is an amount to top up by QRIS.
    DepositAmount,
    /// The next text or photo is proof for a delivered product's terms.
    TermsProof {
        order_id: OrderId,
        product_id: ProductId,
    },
    /// An admin wizard's step.
    Admin(super::admin::Step),
}

#[derive(Debug, PartialEq, Eq)]
pub enum Loaded {
    Nothing,
    Live(State),
    Expired,
}

/// The chat's state, its row locked until the transaction ends (an import job and the
/// chat's next message may both change it).
pub async fn load(tx: &mut PgConnection, chat_id: ChatId) -> Result<Loaded, JobError> {
    let row = sqlx::query!(
        r#"SELECT state, expires_at <= now() AS "expired!" FROM conversations WHERE chat_id = $1 FOR UPDATE"#,
        chat_id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Loaded::Nothing);
    };
    if row.expired {
        clear(tx, chat_id).await?;
        return Ok(Loaded::Expired);
    }
    match serde_json::from_value(row.state) {
        Ok(state) => Ok(Loaded::Live(state)),
        Err(error) => {
            tracing::warn!(chat_id = chat_id.get(), %error, "stored conversation state not understood; dropped");
            clear(tx, chat_id).await?;
            Ok(Loaded::Nothing)
        }
    }
}

pub async fn save(
    tx: &mut PgConnection,
    chat_id: ChatId,
    state: &State,
    ttl: Duration,
) -> Result<(), JobError> {
    let state = serde_json::to_value(state)
        .map_err(|e| JobError::permanent(format!("conversation state not serialisable: {e}")))?;
    sqlx::query!(
        r#"
        INSERT INTO conversations (chat_id, state, expires_at)
        VALUES ($1, $2, now() + make_interval(secs => $3))
        ON CONFLICT (chat_id) DO UPDATE
        SET state = EXCLUDED.state, expires_at = EXCLUDED.expires_at, updated_at = now()
        "#,
        chat_id.get(),
        state,
        ttl.as_secs_f64(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn clear(tx: &mut PgConnection, chat_id: ChatId) -> Result<(), JobError> {
    sqlx::query!(
        "DELETE FROM conversations WHERE chat_id = $1",
        chat_id.get()
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
