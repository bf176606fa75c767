//! `payment.create_invoice`: the order's QRIS transaction at Pakasir, and the QR photo.
//!
//! Pakasir is called outside any transaction; what it answered is stored together with the
//! photo batch and the expiry job in one transaction, and only while the order still waits
//! for payment. If Pakasir refuses, or stays down through the job's attempts, the order is
//! cancelled, its contents released and the customer told; the records stay.

use jobs::catalogue::{CloseOrder, CloseReason, CreateInvoice};

use super::pakasir::Payment;
use super::{PaymentSettings, buyer, gateway, qr, release};
use crate::shop::Payable;
use crate::shop::ids::OrderId;
use crate::shop::status::{InvoiceStatus, OrderStatus};
use crate::telegram::outbox::is_tracked;
use crate::telegram::push;
use crate::ui::callback::Callback;
use crate::ui::message::Track;
use crate::ui::screen::rupiah;
use crate::ui::texts::Text;
use crate::ui::{Button, Outgoing};
use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, settings: PaymentSettings) {
    registry.register(move |job: CreateInvoice, ctx: JobContext| {
        let settings = settings.clone();
        async move { create(job, ctx, settings).await }
    });
}

async fn create(
    job: CreateInvoice,
    ctx: JobContext,
    settings: PaymentSettings,
) -> Result<(), JobError> {
    let order_id = job.order_id.get();
    let Some(pakasir) = settings.pakasir.clone() else {
        return fail(
            &ctx,
            order_id,
            "QRIS payments are not configured (PAKASIR_PROJECT, PAKASIR_API_KEY)",
        )
        .await;
    };
    let mut tx = ctx.pool.begin().await?;
    let order = sqlx::query!(
        r#"SELECT public_id, user_id, status AS "status: OrderStatus", total FROM orders WHERE id = $1 FOR UPDATE"#,
        order_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order) = order.filter(|o| o.status == OrderStatus::AwaitingPayment) else {
        return Ok(());
    };
    sqlx::query!(
        r#"INSERT INTO invoices (order_id, user_id, gateway_order_id, amount)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (gateway_order_id) DO NOTHING"#,
        order_id,
        order.user_id,
        order.public_id,
        order.total,
    )
    .execute(&mut *tx)
    .await?;
    let status = sqlx::query_scalar!(
        r#"SELECT status AS "status: InvoiceStatus" FROM invoices WHERE gateway_order_id = $1"#,
        order.public_id
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    if status != InvoiceStatus::Creating {
        return Ok(());
    }
    let payment = match gateway::request(&ctx, &pakasir, &order.public_id, order.total).await? {
        Ok(payment) => payment,
        Err(why) => return fail(&ctx, order_id, &why).await,
    };
    open(
        &ctx,
        &settings,
        order_id,
        &payment,
        &pakasir.pay_page(&order.public_id, order.total),
    )
    .await
}

/// Store the transaction, send the QR photo and schedule the expiry.
async fn open(
    ctx: &JobContext,
    settings: &PaymentSettings,
    order_id: i64,
    payment: &Payment,
    pay_page: &str,
) -> Result<(), JobError> {
    let image = qr::png(&payment.payment_number).map_err(JobError::permanent)?;
    let mut tx = ctx.pool.begin().await?;
    let overrides = crate::settings::Overrides::load(&mut tx).await?;
    let expires_at = overrides.invoice_expiry(payment.expired_at);
    let zone = settings.overridden(&overrides).timezone;
    let order = sqlx::query!(
        r#"SELECT public_id, status AS "status: OrderStatus", subtotal, discount
           FROM orders WHERE id = $1 FOR UPDATE"#,
        order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let awaiting = order.status == OrderStatus::AwaitingPayment;
    let of = (Payable::Order(OrderId(order_id)), order.public_id.as_str());
    let opened = gateway::open(&mut tx, of, payment, pay_page, (expires_at, awaiting));
    if !opened.await? {
        ctx.commit(tx).await?;
        return Ok(());
    }
    let buyer = buyer(&mut tx, order_id).await?;
    let t = &buyer.texts;
    let items =
        crate::ui::order::item_lines(t, &crate::shop::order::items(&mut tx, order_id).await?);
    let expires = super::expiry(expires_at, zone);
    let caption = t.render(
        Text::InvoiceCaption,
        &[
            ("id", &order.public_id),
            ("items", &items.join("\n")),
            ("subtotal", &rupiah(order.subtotal)),
            ("discount", &rupiah(order.discount)),
            ("fee", &rupiah(payment.fee)),
            ("total", &rupiah(payment.total_payment)),
            ("expires", &expires),
        ],
    );
    let photo = qr::invoice_photo(
        &image,
        caption,
        Button::url(t.get(Text::ButtonPayInBrowser), pay_page),
        vec![vec![Button::callback(
            t.get(Text::ButtonCancelOrder),
            Callback::CancelOrder {
                id: OrderId(order_id),
            }
            .encode(),
        )]],
        Track::invoice(order_id),
    );
    let shown = (photo, Track::invoice_placeholder(order_id));
    let close = CloseOrder {
        order_id: OrderId(order_id),
        reason: CloseReason::Expired,
    };
    gateway::show(&mut tx, buyer.chat_id, shown, &close, expires_at).await?;
    ctx.commit(tx).await?;
    Ok(())
}

/// No invoice can be had: cancel the order, release its contents, tell the customer.
async fn fail(ctx: &JobContext, order_id: i64, why: &str) -> Result<(), JobError> {
    tracing::error!(
        order_id,
        why,
        "invoice could not be created; order cancelled"
    );
    let mut tx = ctx.pool.begin().await?;
    let closed = sqlx::query_scalar!(
        r#"UPDATE orders SET status = 'cancelled', closed_at = now(), close_reason = 'gateway_failed',
               updated_at = now()
           WHERE id = $1 AND status = 'awaiting_payment'
           RETURNING public_id"#,
        order_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(public_id) = closed else {
        return Ok(());
    };
    release(&mut tx, order_id).await?;
    sqlx::query!(
        "UPDATE invoices SET status = 'failed', error = $2, updated_at = now() WHERE order_id = $1 AND status = 'creating'",
        order_id,
        why
    )
    .execute(&mut *tx)
    .await?;
    let buyer = buyer(&mut tx, order_id).await?;
    let text = buyer
        .texts
        .render(Text::InvoiceFailed, &[("id", &public_id)]);
    // The "invoice on its way" message becomes the failure.
    let track = Track::invoice_placeholder(order_id);
    let message = if is_tracked(&mut tx, buyer.chat_id, &track).await? {
        Outgoing::EditTracked {
            track,
            text,
            buttons: None,
        }
    } else {
        Outgoing::text(text)
    };
    push(&mut tx, buyer.chat_id, vec![message]).await?;
    ctx.commit(tx).await?;
    Ok(())
}
