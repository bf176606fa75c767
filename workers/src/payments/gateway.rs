//! The two steps every QRIS invoice takes with Pakasir, for an order or a deposit alike: ask
//! for the transaction (its answer checked against what was asked), then open the stored
//! invoice with it.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::pakasir::{Pakasir, PakasirError, Payment};
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

/// Open the invoice `public_id` with Pakasir's answer; its id, or None when it is no longer
/// being created (a retry already opened it, or it was closed meanwhile).
pub(crate) async fn open(
    tx: &mut PgConnection,
    public_id: &str,
    payment: &Payment,
    pay_page: &str,
    expires_at: DateTime<Utc>,
) -> Result<Option<i64>, JobError> {
    Ok(sqlx::query_scalar!(
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
    .await?)
}
