//! Statuses as enums, each mapped one to one onto its column's CHECK list (a test compares
//! them with the schema). They are stored as TEXT: read them with `status AS "status: T"`
//! and bind them as they are.

/// A status enum stored as TEXT: `as_str` is the stored word, `ALL` every word the column's
/// CHECK list allows, and sqlx reads and writes it as text.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownStatus;

            fn from_str(word: &str) -> Result<Self, UnknownStatus> {
                match word {
                    $($word => Ok($name::$variant),)+
                    other => Err(UnknownStatus {
                        kind: stringify!($name),
                        word: other.to_owned(),
                    }),
                }
            }
        }

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.as_str(), buf)
            }
        }

        impl sqlx::Decode<'_, sqlx::Postgres> for $name {
            fn decode(value: sqlx::postgres::PgValueRef<'_>) -> Result<Self, sqlx::error::BoxDynError> {
                let word = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                Ok(word.parse()?)
            }
        }
    };
}

/// A stored status word that its enum does not know: the schema and the code disagree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} has no status {word:?}: the database holds a status this build does not know")]
pub struct UnknownStatus {
    pub kind: &'static str,
    pub word: String,
}

text_enum! {
    /// `orders.status`: awaiting_payment → paid → delivered; awaiting_payment → expired |
    /// cancelled; paid or delivered → refunded.
    OrderStatus {
        AwaitingPayment = "awaiting_payment",
        Paid = "paid",
        Delivered = "delivered",
        Expired = "expired",
        Cancelled = "cancelled",
        Refunded = "refunded",
    }
}

impl OrderStatus {
    /// The order was paid for (whether or not its goods have gone out).
    pub fn is_paid(self) -> bool {
        matches!(self, OrderStatus::Paid | OrderStatus::Delivered)
    }
}

text_enum! {
    /// `deposits.status`: awaiting_payment → paid; awaiting_payment → expired | cancelled |
    /// failed.
    DepositStatus {
        AwaitingPayment = "awaiting_payment",
        Paid = "paid",
        Expired = "expired",
        Cancelled = "cancelled",
        Failed = "failed",
    }
}

text_enum! {
    /// `invoices.status`: creating → open → paid; creating or open → expired | cancelled |
    /// failed.
    InvoiceStatus {
        Creating = "creating",
        Open = "open",
        Paid = "paid",
        Expired = "expired",
        Cancelled = "cancelled",
        Failed = "failed",
    }
}

text_enum! {
    /// `broadcasts.status`: draft → running → done | cancelled.
    BroadcastStatus {
        Draft = "draft",
        Running = "running",
        Done = "done",
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// `products.status`.
    ProductStatus {
        Active = "active",
        Archived = "archived",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_reads_back_as_its_status_and_others_are_refused() {
        for status in OrderStatus::ALL {
            assert_eq!(status.as_str().parse::<OrderStatus>(), Ok(*status));
        }
        for status in InvoiceStatus::ALL {
            assert_eq!(status.to_string().parse::<InvoiceStatus>(), Ok(*status));
        }
        let refused = "shipped".parse::<OrderStatus>().expect_err("unknown");
        assert!(refused.to_string().contains("OrderStatus"), "{refused}");
    }
}
