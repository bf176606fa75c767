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
    /// `users.id`: a customer as the shop keeps them.
    UserId,
    /// A Telegram user (`users.telegram_id`, `admins.telegram_id`): who pressed or wrote.
    TelegramUserId,
    /// `products.id`.
    ProductId,
    /// `product_variants.id`: what is sold (a product's "1 bulan", "86 diamonds").
    VariantId,
    /// `price_groups.id`: reseller, member….
    PriceGroupId,
    /// `product_contents.id`: one unit of stock.
    ContentId,
    /// `categories.id`.
    CategoryId,
    /// `vouchers.id`.
    VoucherId,
    /// A Telegram chat: a private chat's id equals its user's, a group's does not.
    ChatId,
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
    }
}
