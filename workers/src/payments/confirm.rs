//! `payment.confirm`: believe a webhook only when everything agrees.
//!
//! Pakasir signs nothing, so a webhook is a claim: its `project` must be ours, its `order_id`
//! one of our invoices, its `amount` exactly what we asked for, and `transactiondetail` must
//! say `completed`. Then, in one transaction under the order's row lock: `awaiting_payment →
//! paid`, contents sold, voucher use, delivery queued. A replay finds the order paid and
//! does nothing. A payment for an order already expired or cancelled is never lost: sold
//! again when its products are in stock (and `LATE_PAYMENT=resell`), else credited to the
//! customer's balance; admins are told either way.

use jobs::catalogue::ConfirmPayment;
use sqlx::PgConnection;

use super::pakasir::PakasirError;
use super::{LatePayment, PaymentSettings, alert_staff, buyer, rejected, reserve, settle};
use crate::shop::Payable;
use crate::shop::ids::InvoiceId;
use crate::shop::status::OrderStatus;
use crate::telegram::push;
use crate::ui::Outgoing;
use crate::ui::screen::rupiah;
use crate::ui::texts::Text;
use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, settings: PaymentSettings) {
    registry.register(move |job: ConfirmPayment, ctx: JobContext| {
        let settings = settings.clone();
        async move { confirm(job, ctx, settings).await }
    });
}

/// The verdict on a payment event, with a note for the admins.
async fn judge(ctx: &JobContext, event_id: i64, verdict: &str, note: &str) -> Result<(), JobError> {
    sqlx::query!(
        "UPDATE payment_events SET verdict = $2, note = $3, handled_at = now() WHERE id = $1",
        event_id,
        verdict,
        note
    )
    .execute(&ctx.pool)
    .await?;
    Ok(())
}

/// Record a rejection (`reason`: a short fixed phrase; `note`: its details) and tell the
/// admins, folded with the other rejections of the window.
async fn reject(
    ctx: &JobContext,
    settings: &PaymentSettings,
    event_id: i64,
    order: &str,
    (reason, note): (&str, &str),
) -> Result<(), JobError> {
    let mut tx = ctx.pool.begin().await?;
    sqlx::query!(
        "UPDATE payment_events SET verdict = 'rejected', note = $2, handled_at = now() WHERE id = $1",
        event_id,
        note
    )
    .execute(&mut *tx)
    .await?;
    rejected::fold(&mut tx, settings, reason, order, note).await?;
    ctx.commit(tx).await?;
    Ok(())
}

async fn confirm(
    job: ConfirmPayment,
    ctx: JobContext,
    settings: PaymentSettings,
) -> Result<(), JobError> {
    // The notice as the ingress parsed and stored it (see `jobs::ingress`).
    let notice = &job;
    let event_id = job.event_id.get();
    let Some(pakasir) = settings.pakasir.clone() else {
        return reject(
            &ctx,
            &settings,
            event_id,
            &notice.order_ref,
            ("not configured", "QRIS is not configured here"),
        )
        .await;
    };
    if notice.project != pakasir.project() {
        let note = format!("project {:?} is not ours", notice.project);
        let why = ("another project", note.as_str());
        return reject(&ctx, &settings, event_id, &notice.order_ref, why).await;
    }
    if notice.status != "completed" {
        let note = format!("status {:?}: nothing to do", notice.status);
        return judge(&ctx, event_id, "accepted", &note).await;
    }
    let invoice = sqlx::query!(
        "SELECT id, order_id, deposit_id, amount FROM invoices WHERE gateway_order_id = $1",
        notice.order_ref
    )
    .fetch_optional(&ctx.pool)
    .await?;
    let Some(invoice) = invoice else {
        return reject(
            &ctx,
            &settings,
            event_id,
            &notice.order_ref,
            ("no such invoice", "no such invoice"),
        )
        .await;
    };
    if notice.amount != invoice.amount {
        let note = format!(
            "amount {} but the invoice asks {}",
            notice.amount, invoice.amount
        );
        let why = ("wrong amount", note.as_str());
        return reject(&ctx, &settings, event_id, &notice.order_ref, why).await;
    }
    match pakasir.detail(&notice.order_ref, invoice.amount).await {
        Ok(detail)
            if detail.status == "completed"
                && detail.amount == invoice.amount
                && detail.order_id == notice.order_ref => {}
        Ok(detail) if ctx.is_last_attempt() => {
            let note = format!(
                "Pakasir's transactiondetail says {:?} / {}",
                detail.status, detail.amount
            );
            let why = ("gateway disagrees", note.as_str());
            return reject(&ctx, &settings, event_id, &notice.order_ref, why).await;
        }
        // The webhook may be ahead of Pakasir's own records: ask again later.
        Ok(detail) => {
            return Err(JobError::Retry(format!(
                "Pakasir's transactiondetail says {:?} for {}; asking again",
                detail.status, notice.order_ref
            )));
        }
        Err(PakasirError::Transient(why)) => return Err(JobError::Retry(why)),
        Err(PakasirError::Refused(note)) => {
            let why = ("gateway refused", note.as_str());
            return reject(&ctx, &settings, event_id, &notice.order_ref, why).await;
        }
    }
    let Some(payable) = Payable::of(invoice.order_id, invoice.deposit_id) else {
        return Err(JobError::permanent(
            "an invoice with neither order nor deposit, or both",
        ));
    };
    let mut tx = ctx.pool.begin().await?;
    sqlx::query!(
        "UPDATE invoices SET status = 'paid', paid_at = now(), updated_at = now() WHERE id = $1",
        invoice.id
    )
    .execute(&mut *tx)
    .await?;
    let (verdict, note) = match payable {
        Payable::Order(order) => apply(&mut tx, order.get(), invoice.amount, &settings).await?,
        Payable::Deposit(deposit) => {
            let staff = settings.staff.everyone();
            let verdict = super::deposit::credit(&mut tx, deposit.get(), staff).await?;
            (verdict, "deposit".to_owned())
        }
    };
    sqlx::query!(
        "UPDATE payment_events SET verdict = $2, note = $3, handled_at = now() WHERE id = $1",
        event_id,
        verdict,
        note
    )
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(())
}

/// A payment of `amount` for an order, believed: paid (and its goods queued), already paid,
/// or late (resold or credited). The verdict and a note for the admins.
async fn apply(
    tx: &mut PgConnection,
    order_id: i64,
    amount: i64,
    settings: &PaymentSettings,
) -> Result<(&'static str, String), JobError> {
    let order = sqlx::query!(
        r#"SELECT public_id, status AS "status: OrderStatus" FROM orders WHERE id = $1 FOR UPDATE"#,
        order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let (verdict, note) = match order.status {
        OrderStatus::AwaitingPayment => {
            mark_paid(tx, order_id, settings.staff.everyone()).await?;
            ("accepted", "paid".to_owned())
        }
        OrderStatus::Paid | OrderStatus::Delivered | OrderStatus::Refunded => {
            ("duplicate", "already paid".to_owned())
        }
        OrderStatus::Expired | OrderStatus::Cancelled => {
            let note = late(tx, order_id, amount, settings).await?;
            alert_staff(tx, settings.staff.everyone(), &order.public_id, &note).await?;
            ("late", note)
        }
    };
    if verdict != "duplicate" {
        super::order_alert(tx, settings.staff.everyone(), order_id, false).await?;
    }
    Ok((verdict, note))
}

/// An admin says the order was paid (a transfer seen by hand): recorded as a payment event
/// from `actor` with their note, then the same path as a confirmed webhook, so it delivers
/// once. An open QRIS invoice is closed at Pakasir. What happened, for the admin.
pub(crate) async fn by_hand(
    tx: &mut PgConnection,
    order_id: i64,
    actor: &str,
    note: &str,
    settings: &PaymentSettings,
) -> Result<String, JobError> {
    let order = sqlx::query!(
        "SELECT public_id, total FROM orders WHERE id = $1",
        order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let body = serde_json::json!({ "actor": actor, "note": note, "order_id": order.public_id });
    let event_id = sqlx::query_scalar!(
        r#"INSERT INTO payment_events (source, body, order_ref, status, amount, note)
           VALUES ('admin', $1, $2, 'completed', $3, $4) RETURNING id"#,
        body.to_string().into_bytes(),
        order.public_id,
        order.total,
        note,
    )
    .fetch_one(&mut *tx)
    .await?;
    let open_invoice = sqlx::query_scalar!(
        r#"UPDATE invoices SET status = 'cancelled', updated_at = now()
           WHERE order_id = $1 AND status IN ('creating', 'open') RETURNING id"#,
        order_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (verdict, outcome) = apply(tx, order_id, order.total, settings).await?;
    sqlx::query!(
        "UPDATE payment_events SET verdict = $2, handled_at = now() WHERE id = $1",
        event_id,
        verdict,
    )
    .execute(&mut *tx)
    .await?;
    if let Some(invoice_id) = open_invoice {
        jobs::enqueue(
            &mut *tx,
            &jobs::catalogue::CancelAtGateway {
                invoice_id: InvoiceId(invoice_id),
            },
        )
        .await?;
    }
    Ok(outcome)
}

async fn mark_paid(tx: &mut PgConnection, order_id: i64, staff: &[i64]) -> Result<(), JobError> {
    sqlx::query!(
        "UPDATE orders SET status = 'paid', paid_at = now(), updated_at = now() WHERE id = $1",
        order_id
    )
    .execute(&mut *tx)
    .await?;
    settle(tx, order_id, staff).await
}

/// A payment for a closed order: sell it again if every item is still in stock, else credit
/// the amount to the customer's balance. Returns what happened, for the admins.
async fn late(
    tx: &mut PgConnection,
    order_id: i64,
    amount: i64,
    settings: &PaymentSettings,
) -> Result<String, JobError> {
    use sqlx::Acquire;
    if settings.late == LatePayment::Resell {
        let items = sqlx::query!(
            "SELECT variant_id, quantity FROM order_items WHERE order_id = $1",
            order_id
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut attempt = tx.begin().await?;
        let mut all = true;
        for item in &items {
            let got = reserve(
                &mut attempt,
                order_id,
                crate::shop::ids::VariantId(item.variant_id),
                item.quantity,
            )
            .await?;
            if got < i64::from(item.quantity) {
                all = false;
                break;
            }
        }
        if all {
            sqlx::query!(
                "UPDATE orders SET late_outcome = 'resold' WHERE id = $1",
                order_id
            )
            .execute(&mut *attempt)
            .await?;
            mark_paid(&mut attempt, order_id, settings.staff.everyone()).await?;
            attempt.commit().await?;
            return Ok(
                "paid after it closed; its products were still in stock and are delivered"
                    .to_owned(),
            );
        }
        attempt.rollback().await?;
    }
    let buyer = buyer(tx, order_id).await?;
    let balance = sqlx::query_scalar!(
        "UPDATE users SET balance = balance + $2, updated_at = now() WHERE id = $1 RETURNING balance",
        buyer.user_id,
        amount
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO balance_ledger (user_id, delta, balance_after, reason, order_id, actor, note)
           VALUES ($1, $2, $3, 'late_payment', $4, 'system', 'paid after the order closed')"#,
        buyer.user_id,
        amount,
        balance,
        order_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE orders SET late_outcome = 'credited' WHERE id = $1",
        order_id
    )
    .execute(&mut *tx)
    .await?;
    let public_id = sqlx::query_scalar!("SELECT public_id FROM orders WHERE id = $1", order_id)
        .fetch_one(&mut *tx)
        .await?;
    let text = buyer.texts.render(
        Text::LateCredited,
        &[("id", &public_id), ("amount", &rupiah(amount))],
    );
    push(tx, buyer.chat_id, vec![Outgoing::text(text)]).await?;
    Ok(format!(
        "paid after it closed; {} credited to the customer's balance",
        rupiah(amount)
    ))
}
