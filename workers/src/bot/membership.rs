//! A customer blocking or unblocking the bot (`my_chat_member`), and what they missed.
//!
//! Blocked (`kicked`) is an expected state, not an error: the customer is marked unreachable
//! and nothing more is sent until they are back (the send side marks them the same way when
//! Telegram answers 403). Back (`member`: they unblocked the bot, or they wrote to it), they
//! are told once where the paid goods are that could not reach them.

use sqlx::PgConnection;
use teloxide::types::ChatMemberUpdated;

use crate::JobError;
use crate::shop::ids::UserId;
use crate::telegram::push;
use crate::ui::Outgoing;
use crate::ui::texts::{Locale, Text, Texts};

pub(super) async fn on_change(
    tx: &mut PgConnection,
    update: &ChatMemberUpdated,
) -> Result<(), JobError> {
    if !update.chat.is_private() {
        return Ok(());
    }
    let chat = update.chat.id.0;
    if update.new_chat_member.is_banned() {
        let marked = sqlx::query!(
            "UPDATE users SET unreachable_at = coalesce(unreachable_at, now()) WHERE telegram_id = $1",
            chat
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tracing::info!(chat, known = marked > 0, "customer blocked the bot");
        return Ok(());
    }
    if !update.new_chat_member.is_member() {
        return Ok(());
    }
    let user = sqlx::query!(
        r#"UPDATE users SET unreachable_at = NULL WHERE telegram_id = $1 RETURNING id, locale"#,
        chat
    )
    .fetch_optional(&mut *tx)
    .await?;
    tracing::info!(chat, "customer unblocked the bot");
    if let Some(user) = user {
        let t = Texts::load(tx, Locale::parse(&user.locale).unwrap_or_default()).await?;
        if let Some(notice) = missed_goods(tx, UserId(user.id), &t).await? {
            push(tx, chat, vec![notice]).await?;
        }
    }
    Ok(())
}

/// The notice about paid orders whose goods could not reach the customer (once: the orders
/// are unmarked), if there are any.
pub(super) async fn missed_goods(
    tx: &mut PgConnection,
    user_id: UserId,
    t: &Texts,
) -> Result<Option<Outgoing>, JobError> {
    let orders = sqlx::query_scalar!(
        r#"UPDATE orders SET goods_missed_at = NULL
           WHERE user_id = $1 AND goods_missed_at IS NOT NULL
           RETURNING public_id"#,
        user_id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    if orders.is_empty() {
        return Ok(None);
    }
    let list: Vec<String> = orders
        .iter()
        .map(|id| format!("<code>{}</code>", crate::ui::html::escape(id)))
        .collect();
    Ok(Some(Outgoing::text(t.render(
        Text::MissedGoods,
        &[("orders", &list.join(", "))],
    ))))
}
