//! Checkout from the engine's side: the summary, paying, what the customer is told, cancelling.

use super::customer::Customer;
use super::{BotSettings, Reply};
use crate::JobError;
use crate::payments;
use crate::payments::checkout::Outcome;
use crate::shop::cart;
use crate::shop::ids::OrderId;
use crate::ui::callback::PayMethod;
use crate::ui::cart as cart_screen;
use crate::ui::screen::{self, Screen};
use crate::ui::texts::{Text, Texts};
use jobs::catalogue::{CloseOrder, CloseReason};
use sqlx::PgConnection;

/// The checkout summary, with prices and stock read again now.
pub(super) async fn checkout(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let adjustments = cart::reconcile(tx, customer.id).await?;
    summary_reply(tx, customer, t, settings, &adjustments).await
}

/// The checkout summary after `adjustments` were made to the cart.
pub(super) async fn summary_reply(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    settings: &BotSettings,
    adjustments: &[cart::Adjustment],
) -> Result<Reply, JobError> {
    let summary = cart::summary(tx, customer.id).await?;
    let balance = sqlx::query_scalar!("SELECT balance FROM users WHERE id = $1", customer.id.get())
        .fetch_one(&mut *tx)
        .await?;
    let notice = summary
        .lines
        .is_empty()
        .then(|| t.render(Text::CartEmpty, &[]));
    Ok(Reply::edit(cart_screen::checkout(
        t,
        &summary,
        adjustments,
        balance,
        settings.timezone,
    ))
    .noticed(notice))
}

/// A payment button: the order the press made (a double tap finds the first press's), or
/// the fresh summary when the cart changed since this one was shown.
pub(super) async fn pay(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    method: PayMethod,
    version: i32,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    if let Some(earlier) = payments::checkout::earlier(tx, customer.id, version).await? {
        return Ok(paid_reply(t, earlier));
    }
    let current = sqlx::query_scalar!(
        "SELECT version FROM carts WHERE user_id = $1",
        customer.id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let adjustments = cart::reconcile(tx, customer.id).await?;
    if current != Some(version) || !adjustments.is_empty() {
        let reply = summary_reply(tx, customer, t, settings, &adjustments).await?;
        return Ok(reply.noticed(Some(t.render(Text::CartChanged, &[]))));
    }
    let outcome =
        payments::checkout::checkout(tx, customer.id, method, version, &settings.payments).await?;
    match outcome {
        Outcome::StockChanged {
            variant_id,
            name,
            left,
        } => {
            // The summary shows the cart as it can be bought now.
            let capped = cart::cap(tx, customer.id, (variant_id, name), left).await?;
            let mut adjustments = cart::reconcile(tx, customer.id).await?;
            adjustments.insert(0, capped);
            let reply = summary_reply(tx, customer, t, settings, &adjustments).await?;
            Ok(reply.noticed(Some(t.render(Text::StockChanged, &[]))))
        }
        Outcome::Empty => checkout(tx, customer, t, settings).await,
        outcome => Ok(paid_reply(t, outcome)),
    }
}

/// What the customer sees after pressing a payment button.
pub(super) fn paid_reply(t: &Texts, outcome: Outcome) -> Reply {
    let alert = |text: String| Reply {
        notice: Some(text),
        alert: true,
        ..Reply::default()
    };
    let done = |text: String| {
        Reply::edit(Screen {
            text,
            buttons: Vec::new(),
        })
    };
    match outcome {
        Outcome::InvoiceComing {
            public_id,
            order_id,
        } => Reply {
            track: Some(crate::ui::message::Track::invoice_placeholder(order_id)),
            ..done(t.render(Text::InvoicePreparing, &[("id", &public_id)]))
        },
        Outcome::Paid {
            public_id,
            total,
            balance,
        } => done(t.render(
            Text::PaidWithBalance,
            &[
                ("id", &public_id),
                ("total", &screen::rupiah(total)),
                ("balance", &screen::rupiah(balance)),
            ],
        )),
        Outcome::Closed { .. } => alert(t.render(Text::OrderNotOpen, &[])),
        Outcome::OpenOrder { public_id } => {
            alert(t.render(Text::OpenInvoiceExists, &[("id", &public_id)]))
        }
        Outcome::Insufficient { balance, total } => alert(t.render(
            Text::InsufficientBalance,
            &[
                ("balance", &screen::rupiah(balance)),
                ("total", &screen::rupiah(total)),
            ],
        )),
        Outcome::Unavailable => alert(t.render(Text::PaymentUnavailable, &[])),
        Outcome::StockChanged { .. } => alert(t.render(Text::StockChanged, &[])),
        Outcome::Empty => alert(t.render(Text::CartEmpty, &[])),
    }
}

/// The cancel button under an invoice: the order closes at once (in its own job).
pub(super) async fn cancel_order(
    tx: &mut PgConnection,
    customer: &Customer,
    t: &Texts,
    order_id: OrderId,
) -> Result<Reply, JobError> {
    let open = sqlx::query_scalar!(
        "SELECT id FROM orders WHERE id = $1 AND user_id = $2 AND status = 'awaiting_payment'",
        order_id.get(),
        customer.id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let notice = if open.is_some() {
        jobs::enqueue(
            &mut *tx,
            &CloseOrder {
                order_id,
                reason: CloseReason::Cancelled,
            },
        )
        .await?;
        t.render(Text::CancelRequested, &[])
    } else {
        t.render(Text::OrderNotOpen, &[])
    };
    Ok(Reply::default().noticed(Some(notice)))
}
