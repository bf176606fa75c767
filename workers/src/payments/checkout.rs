//! Checkout: the cart becomes an order in the caller's transaction (the button press's).
//! Each line is charged the unit price the cart priced it at (tiers and the cart's price
//! group applied, [`crate::shop::pricing`]); a voucher then comes off the subtotal.
//!
//! The order reserves exactly the contents it sells (`available → reserved`, skipping rows
//! another checkout is reserving), so two customers can never hold the same content and
//! stock never goes below zero. A double tap carries the same cart version, so it finds the
//! order the first tap made. QRIS orders get a `payment.create_invoice` job; balance orders
//! are paid on the spot (ledger debit, contents sold, `order.deliver`).

use sqlx::{Acquire, PgConnection};

use super::PaymentSettings;
use crate::JobError;
use crate::shop::PayMethod;
use crate::shop::cart;
use crate::shop::ids::OrderId;
use crate::shop::ids::UserId;
use crate::shop::ids::VariantId;
use crate::shop::status::OrderStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// QRIS: the order waits for its invoice.
    InvoiceComing {
        public_id: String,
        order_id: i64,
    },
    /// Paid from the balance (or nothing to pay after the voucher): goods are on their way.
    Paid {
        public_id: String,
        total: i64,
        balance: i64,
    },
    /// This summary's order was made and has since expired or been cancelled.
    Closed {
        public_id: String,
    },
    /// The customer already has as many unpaid orders as allowed.
    OpenOrder {
        public_id: String,
    },
    Insufficient {
        balance: i64,
        total: i64,
    },
    /// A variant sold out (or ran low) between the summary and the press: only `left` of it
    /// could be had.
    StockChanged {
        variant_id: VariantId,
        name: String,
        left: i64,
    },
    /// QRIS is not configured.
    Unavailable,
    Empty,
}

/// `INV-YYMMDD-XXXXXXXX`: unique, short enough to read out, and Pakasir's `order_id`.
fn public_id() -> String {
    let ulid = ulid::Ulid::generate().to_string();
    format!(
        "INV-{}-{}",
        chrono::Utc::now().format("%y%m%d"),
        &ulid[ulid.len() - 8..]
    )
}

fn checkout_key(user_id: UserId, version: i32) -> String {
    format!("{user_id}:{version}")
}

/// The order an earlier press on the same summary made, if any: a double tap lands here.
pub async fn earlier(
    tx: &mut PgConnection,
    user_id: UserId,
    version: i32,
) -> Result<Option<Outcome>, JobError> {
    let earlier = sqlx::query!(
        r#"SELECT id, public_id, status AS "status: OrderStatus", total FROM orders WHERE checkout_key = $1"#,
        checkout_key(user_id, version)
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order) = earlier else {
        return Ok(None);
    };
    tracing::info!(%user_id, order = %order.public_id, "another press on the same checkout");
    Ok(Some(match order.status {
        OrderStatus::AwaitingPayment => Outcome::InvoiceComing {
            public_id: order.public_id,
            order_id: order.id,
        },
        OrderStatus::Paid | OrderStatus::Delivered => Outcome::Paid {
            public_id: order.public_id,
            total: order.total,
            balance: balance_of(tx, user_id).await?,
        },
        _ => Outcome::Closed {
            public_id: order.public_id,
        },
    }))
}

pub async fn checkout(
    tx: &mut PgConnection,
    user_id: UserId,
    method: PayMethod,
    version: i32,
    settings: &PaymentSettings,
) -> Result<Outcome, JobError> {
    if let Some(earlier) = earlier(tx, user_id, version).await? {
        return Ok(earlier);
    }
    let key = checkout_key(user_id, version);
    if method == PayMethod::Qris {
        if settings.pakasir.is_none() {
            return Ok(Outcome::Unavailable);
        }
        let open = sqlx::query!(
            r#"SELECT public_id, count(*) OVER () AS "open!" FROM orders
               WHERE user_id = $1 AND status = 'awaiting_payment'
               ORDER BY created_at DESC LIMIT 1"#,
            user_id.get()
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(open) = open.filter(|o| o.open >= i64::from(settings.open_orders.max(1))) {
            return Ok(Outcome::OpenOrder {
                public_id: open.public_id,
            });
        }
    }
    let summary = cart::summary(tx, user_id).await?;
    if summary.lines.is_empty() {
        return Ok(Outcome::Empty);
    }
    let voucher_id = match &summary.voucher {
        Some(cart::VoucherLine::Applied { .. }) => {
            sqlx::query_scalar!(
                "SELECT voucher_id FROM carts WHERE user_id = $1",
                user_id.get()
            )
            .fetch_one(&mut *tx)
            .await?
        }
        _ => None,
    };
    let free = summary.total == 0;
    let pay_now = method == PayMethod::Balance || free;
    let mut attempt = tx.begin().await?;
    let order_id = sqlx::query_scalar!(
        r#"
        INSERT INTO orders (public_id, user_id, status, payment_method, subtotal, discount, total,
                            voucher_id, checkout_key)
        VALUES ($1, $2, 'awaiting_payment', 'qris', $3, $4, $5, $6, $7)
        RETURNING id
        "#,
        public_id(),
        user_id.get(),
        summary.subtotal,
        summary.discount,
        summary.total,
        voucher_id,
        key,
    )
    .fetch_one(&mut *attempt)
    .await?;
    for line in &summary.lines {
        let got = super::reserve(&mut attempt, order_id, line.variant_id, line.quantity).await?;
        if got < i64::from(line.quantity) {
            attempt.rollback().await?;
            return Ok(Outcome::StockChanged {
                variant_id: line.variant_id,
                name: line.name.clone(),
                left: got,
            });
        }
        sqlx::query!(
            r#"INSERT INTO order_items (order_id, product_id, variant_id, product_name, variant_name,
                                        unit_price, quantity, price_rule)
               SELECT $1, v.product_id, v.id, p.name, v.name, $3, $4, $5
               FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = $2"#,
            order_id,
            line.variant_id.get(),
            line.price,
            line.quantity,
            line.rule.as_str(),
        )
        .execute(&mut *attempt)
        .await?;
    }
    let public_id = sqlx::query_scalar!("SELECT public_id FROM orders WHERE id = $1", order_id)
        .fetch_one(&mut *attempt)
        .await?;
    let outcome = if pay_now {
        let balance = sqlx::query_scalar!(
            "SELECT balance FROM users WHERE id = $1 FOR UPDATE",
            user_id.get()
        )
        .fetch_one(&mut *attempt)
        .await?;
        if balance < summary.total {
            attempt.rollback().await?;
            return Ok(Outcome::Insufficient {
                balance,
                total: summary.total,
            });
        }
        let left = balance - summary.total;
        if summary.total > 0 {
            sqlx::query!(
                "UPDATE users SET balance = $2, updated_at = now() WHERE id = $1",
                user_id.get(),
                left
            )
            .execute(&mut *attempt)
            .await?;
            sqlx::query!(
                r#"INSERT INTO balance_ledger (user_id, delta, balance_after, reason, order_id, actor)
                   VALUES ($1, $2, $3, 'purchase', $4, 'customer')"#,
                user_id.get(),
                -summary.total,
                left,
                order_id,
            )
            .execute(&mut *attempt)
            .await?;
        }
        sqlx::query!(
            r#"UPDATE orders SET status = 'paid', payment_method = $2, paid_at = now(), updated_at = now()
               WHERE id = $1"#,
            order_id,
            if method == PayMethod::Balance { "balance" } else { "qris" },
        )
        .execute(&mut *attempt)
        .await?;
        super::settle(&mut attempt, order_id, settings.staff.everyone()).await?;
        Outcome::Paid {
            public_id,
            total: summary.total,
            balance: left,
        }
    } else {
        jobs::enqueue(
            &mut *attempt,
            &jobs::catalogue::CreateInvoice {
                order_id: OrderId(order_id),
            },
        )
        .await?;
        Outcome::InvoiceComing {
            public_id,
            order_id,
        }
    };
    super::order_alert(&mut attempt, settings.staff.everyone(), order_id, true).await?;
    attempt.commit().await?;
    cart::empty(tx, user_id).await?;
    Ok(outcome)
}

async fn balance_of(tx: &mut PgConnection, user_id: UserId) -> Result<i64, JobError> {
    Ok(
        sqlx::query_scalar!("SELECT balance FROM users WHERE id = $1", user_id.get())
            .fetch_one(&mut *tx)
            .await?,
    )
}
