//! The steps every QRIS invoice takes with Pakasir, for an order or a deposit alike: ask for
//! the transaction (its answer checked against what was asked), open the stored invoice with
//! it, then show the QR photo and schedule the close at expiry.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::pakasir::{Pakasir, PakasirError, Payment};
use crate::shop::Payable;
use crate::telegram::push;
use crate::ui::Outgoing;
use crate::ui::message::Track;
use crate::{JobContext, JobError};

/// Pakasir's QRIS transaction for `public_id` and `amount`, or why there is none (the caller
/// records it as the invoice's failure). A transient error is retried while attempts remain.
pub(crate) async fn request(
    ctx: &JobContext,
    pakasir: &Pakasir,
    public_id: &str,
    amount: i64,
) -> Result<Result<Payment, String>, JobError> {
    Ok(match pakasir.create_qris(public_id, amount).await {
        Ok(payment) if payment.amount == amount && payment.order_id == public_id => Ok(payment),
        Ok(payment) => Err(format!(
            "Pakasir answered for {} / {} instead of {public_id} / {amount}",
            payment.order_id, payment.amount
        )),
        Err(PakasirError::Transient(why)) if !ctx.is_last_attempt() => {
            return Err(JobError::Retry(why));
        }
        Err(PakasirError::Transient(why)) => Err(format!(
            "Pakasir stayed unreachable through every attempt: {why}"
        )),
        Err(error) => Err(error.to_string()),
    })
}

/// Open the invoice `public_id` of `payable` with Pakasir's answer, and give the order or
/// deposit the invoice's expiry. Whether to go on and show it: not when it is no longer being
/// created (a retry already opened it), nor when the order or deposit stopped `awaiting`
/// payment while Pakasir was answering (the new transaction is then cancelled there too).
pub(crate) async fn open(
    tx: &mut PgConnection,
    (payable, public_id): (Payable, &str),
    payment: &Payment,
    pay_page: &str,
    (expires_at, awaiting): (DateTime<Utc>, bool),
) -> Result<bool, JobError> {
    let opened = sqlx::query_scalar!(
        r#"UPDATE invoices SET status = 'open', fee = $2, total_payment = $3, qr_string = $4,
               payment_url = $5, expires_at = $6, updated_at = now()
           WHERE gateway_order_id = $1 AND status = 'creating'
           RETURNING id"#,
        public_id,
        payment.fee,
        payment.total_payment,
        payment.payment_number,
        pay_page,
        expires_at,
    )
    .fetch_optional(&mut *tx)
    .await?;
    match opened {
        None => return Ok(false),
        Some(invoice_id) if !awaiting => {
            super::cancel_at_gateway(tx, [invoice_id]).await?;
            return Ok(false);
        }
        Some(_) => {}
    }
    match payable {
        Payable::Order(order) => sqlx::query!(
            "UPDATE orders SET expires_at = $2, updated_at = now() WHERE id = $1",
            order.get(),
            expires_at
        ),
        Payable::Deposit(deposit) => sqlx::query!(
            "UPDATE deposits SET expires_at = $2 WHERE id = $1",
            deposit.get(),
            expires_at
        ),
    }
    .execute(&mut *tx)
    .await?;
    Ok(true)
}

/// Show the QR `photo` in `chat` in place of the "invoice on its way" message (`placeholder`),
/// and schedule `close` for when the invoice expires.
pub(crate) async fn show<J: jobs::Job>(
    tx: &mut PgConnection,
    chat: i64,
    (photo, placeholder): (Outgoing, Track),
    close: &J,
    expires_at: DateTime<Utc>,
) -> Result<(), JobError> {
    let placeholder = Outgoing::ClearTracked {
        track: placeholder,
        fallback: String::new(),
    };
    push(tx, chat, vec![photo, placeholder]).await?;
    jobs::enqueue_at(&mut *tx, close, expires_at).await?;
    Ok(())
}
