//! `order.close` and `payment.cancel_at_gateway`: an unpaid order ends (its invoice expired,
//! or the customer cancelled). One guarded transition releases the contents, closes the
//! invoice, removes the QR photo and tells the customer once; Pakasir is told in a job of its
//! own so its retries never repeat the rest.

use jobs::catalogue::{CancelAtGateway, CloseOrder, CloseReason, ConfirmPayment};

use super::pakasir::PakasirError;
use super::{PaymentSettings, buyer, release};
use crate::shop::ids::PaymentEventId;
use crate::shop::status::InvoiceStatus;
use crate::telegram::push;
use crate::ui::Outgoing;
use crate::ui::message::Track;
use crate::ui::texts::Text;
use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, settings: PaymentSettings) {
    let closing = settings.clone();
    registry.register(move |job: CloseOrder, ctx: JobContext| {
        let settings = closing.clone();
        async move {
            if job.reason == CloseReason::Expired && paid_meanwhile(&job, &ctx, &settings).await? {
                return Ok(());
            }
            close(job, ctx, settings.staff.everyone()).await
        }
    });
    registry.register(move |job: CancelAtGateway, ctx: JobContext| {
        let settings = settings.clone();
        async move { cancel_at_gateway(job, ctx, settings).await }
    });
}

/// Before an invoice expires for good, ask Pakasir whether it was paid after all (a webhook
/// that never came). If so, the payment is recorded as an event of its own and confirmed like
/// a webhook, and the order is not closed.
async fn paid_meanwhile(
    job: &CloseOrder,
    ctx: &JobContext,
    settings: &PaymentSettings,
) -> Result<bool, JobError> {
    let Some(pakasir) = &settings.pakasir else {
        return Ok(false);
    };
    let invoice = sqlx::query!(
        r#"SELECT i.gateway_order_id, i.amount FROM invoices i JOIN orders o ON o.id = i.order_id
           WHERE i.order_id = $1 AND i.status = 'open' AND o.status = 'awaiting_payment'"#,
        job.order_id.get()
    )
    .fetch_optional(&ctx.pool)
    .await?;
    let Some(invoice) = invoice else {
        return Ok(false);
    };
    let detail = match pakasir
        .detail(&invoice.gateway_order_id, invoice.amount)
        .await
    {
        Ok(detail) => detail,
        Err(PakasirError::Transient(why)) if !ctx.is_last_attempt() => {
            return Err(JobError::Retry(why));
        }
        Err(error) => {
            tracing::warn!(order = %invoice.gateway_order_id, %error, "could not ask Pakasir before expiring; expiring");
            return Ok(false);
        }
    };
    if detail.status != "completed" {
        return Ok(false);
    }
    tracing::warn!(order = %invoice.gateway_order_id, "paid at Pakasir without a webhook; confirming");
    let notice = serde_json::json!({
        "amount": invoice.amount,
        "order_id": invoice.gateway_order_id,
        "project": pakasir.project(),
        "status": "completed",
    });
    let mut tx = ctx.pool.begin().await?;
    let event_id = sqlx::query_scalar!(
        r#"INSERT INTO payment_events (source, body, order_ref, status, amount, note)
           VALUES ('expiry-check', $1, $2, 'completed', $3, 'paid at Pakasir, no webhook received')
           RETURNING id"#,
        notice.to_string().into_bytes(),
        invoice.gateway_order_id,
        invoice.amount,
    )
    .fetch_one(&mut *tx)
    .await?;
    jobs::enqueue(
        &mut *tx,
        &ConfirmPayment {
            event_id: PaymentEventId(event_id),
            order_ref: invoice.gateway_order_id,
            status: "completed".to_owned(),
            amount: invoice.amount,
            project: pakasir.project().to_owned(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

async fn close(job: CloseOrder, ctx: JobContext, staff: &[i64]) -> Result<(), JobError> {
    let order_id = job.order_id.get();
    let (status, text) = match job.reason {
        CloseReason::Expired => ("expired", Text::OrderExpired),
        CloseReason::Cancelled => ("cancelled", Text::OrderCancelled),
    };
    let mut tx = ctx.pool.begin().await?;
    let closed = sqlx::query_scalar!(
        r#"UPDATE orders SET status = $2, closed_at = now(), close_reason = $2, updated_at = now()
           WHERE id = $1 AND status = 'awaiting_payment'
           RETURNING public_id"#,
        order_id,
        status,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(public_id) = closed else {
        return Ok(());
    };
    release(&mut tx, order_id).await?;
    let invoices = sqlx::query_scalar!(
        r#"UPDATE invoices SET status = $2, updated_at = now()
           WHERE order_id = $1 AND status IN ('creating', 'open')
           RETURNING id"#,
        order_id,
        status,
    )
    .fetch_all(&mut *tx)
    .await?;
    super::cancel_at_gateway(&mut tx, invoices).await?;
    let buyer = buyer(&mut tx, order_id).await?;
    let t = &buyer.texts;
    push(
        &mut tx,
        buyer.chat_id,
        vec![
            Outgoing::ClearTracked {
                track: Track::invoice(order_id),
                fallback: t.render(Text::InvoiceClosedCaption, &[("id", &public_id)]),
            },
            Outgoing::text(t.render(text, &[("id", &public_id)])),
        ],
    )
    .await?;
    crate::telemetry::record(&mut *tx, &format!("orders.{status}"), 1).await?;
    super::order_alert(&mut tx, staff, order_id, false).await?;
    ctx.commit(tx).await?;
    Ok(())
}

async fn cancel_at_gateway(
    job: CancelAtGateway,
    ctx: JobContext,
    settings: PaymentSettings,
) -> Result<(), JobError> {
    let Some(pakasir) = settings.pakasir else {
        return Ok(());
    };
    let invoice = sqlx::query!(
        r#"SELECT gateway_order_id, amount, status AS "status: InvoiceStatus" FROM invoices WHERE id = $1"#,
        job.invoice_id.get()
    )
    .fetch_one(&ctx.pool)
    .await?;
    if invoice.status == InvoiceStatus::Paid {
        return Ok(());
    }
    match pakasir
        .cancel(&invoice.gateway_order_id, invoice.amount)
        .await
    {
        Ok(()) => Ok(()),
        Err(PakasirError::Transient(why)) => Err(JobError::Retry(why)),
        Err(PakasirError::Refused(why)) => {
            // Never created there, or already closed: nothing left to stop.
            tracing::info!(invoice = %invoice.gateway_order_id, %why, "Pakasir had nothing to cancel");
            Ok(())
        }
    }
}
