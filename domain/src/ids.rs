//! Ids that cannot be mixed up: each table's key, and Telegram's users and chats, as their
//! own types (stored as BIGINT, written in JSON as plain numbers).

/// Declares an id newtype over `i64`.
macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident,)+) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

ids! {
    /// `orders.id`.
    OrderId,
    /// `users.id`: a customer as the shop stores them (not their Telegram id).
    UserId,
    /// A Telegram user id (`users.telegram_id`, an admin's id in the configuration).
    TelegramUserId,
    /// A Telegram chat: a private chat's id equals its user's, a group's does not.
    ChatId,
    /// `products.id`.
    ProductId,
    /// `product_contents.id`.
    ContentId,
    /// `deposits.id`.
    DepositId,
    /// `invoices.id`.
    InvoiceId,
    /// `broadcasts.id`.
    BroadcastId,
    /// `payment_events.id`: one request to the payment webhook.
    PaymentEventId,
    /// `telegram_outbox.id`: one batch of messages to a chat.
    BatchId,
}

impl From<TelegramUserId> for ChatId {
    /// A user's private chat with the bot.
    fn from(user: TelegramUserId) -> Self {
        ChatId(user.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_numbers_in_json() {
        let json = serde_json::to_string(&OrderId(42)).expect("encode");
        assert_eq!(json, "42");
        assert_eq!(
            serde_json::from_str::<OrderId>("42").expect("decode"),
            OrderId(42)
        );
        assert_eq!(ChatId::from(TelegramUserId(7)), ChatId(7));
    }
}
