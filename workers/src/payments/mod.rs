//! Money and goods: checkout (reserve and create the order), the QRIS invoice, webhook
//! confirmation, delivery, and closing unpaid orders.
//!
//! Every state change is a guarded transition in one transaction with the jobs and messages
//! it causes: an order goes `awaiting_payment → paid → delivered` or `awaiting_payment →
//! expired | cancelled`, its contents `available → reserved → sold` or back to available.

pub mod checkout;
pub mod close;
pub mod confirm;
pub mod deliver;
pub mod deposit;
mod gateway;
pub mod invoice;
pub mod pakasir;
pub mod qr;
mod rejected;

use sqlx::PgConnection;

use crate::settings::{Overrides, Setting};
use crate::shop::ids::{DepositId, OrderId};
use crate::shop::status::OrderStatus;
use crate::telegram::push_alert;
use crate::ui::Outgoing;
use crate::ui::texts::{Locale, Text, Texts};
use crate::{JobError, Registry};
use pakasir::Pakasir;

/// What to do with a payment for an order that already expired or was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LatePayment {
    /// Sell the order again if its products are still in stock, else credit the balance.
    #[default]
    Resell,
    /// Always credit the customer's balance.
    Credit,
}

#[derive(Debug, Clone)]
pub struct PaymentSettings {
    /// `None`: QRIS is not configured; customers can pay with their balance only.
    pub pakasir: Option<Pakasir>,
    /// Unpaid orders a customer may have at once.
    pub open_orders: u32,
    pub late: LatePayment,
    pub timezone: chrono_tz::Tz,
    /// Owners and admins, told about payments that need a look.
    pub staff: crate::shop::staff::Staff,
    /// Smallest and largest balance top-up.
    pub deposit_min: i64,
    pub deposit_max: i64,
    /// The shop's public base URL, for dashboard links in staff alerts.
    pub public_url: Option<String>,
}

impl PaymentSettings {
    /// These settings with the stored ones over them.
    pub fn overridden(&self, overrides: &Overrides) -> PaymentSettings {
        let mut settings = self.clone();
        if let Some(tz) = overrides.timezone() {
            settings.timezone = tz;
        }
        if let Some(n) = overrides.number(Setting::DepositMin) {
            settings.deposit_min = n;
        }
        if let Some(n) = overrides.number(Setting::DepositMax) {
            settings.deposit_max = n;
        }
        settings
    }
}

pub fn register(registry: &mut Registry, settings: &PaymentSettings) {
    invoice::register(registry, settings.clone());
    confirm::register(registry, settings.clone());
    deliver::register(registry, settings.staff.everyone().to_vec());
    close::register(registry, settings.clone());
    deposit::register(registry, settings.clone());
}

/// The customer behind an order, for messages.
pub(crate) struct Buyer {
    pub user_id: i64,
    pub chat_id: i64,
    pub texts: Texts,
}

pub(crate) async fn buyer(tx: &mut PgConnection, order_id: i64) -> Result<Buyer, JobError> {
    let row = sqlx::query!(
        r#"SELECT u.id, u.telegram_id, u.locale FROM orders o JOIN users u ON u.id = o.user_id
           WHERE o.id = $1"#,
        order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let locale = Locale::parse(&row.locale).unwrap_or_default();
    Ok(Buyer {
        user_id: row.id,
        chat_id: row.telegram_id,
        texts: Texts::load(tx, locale).await?,
    })
}

/// Tell the owners and admins about a payment that needs a look (each in their language).
pub(crate) async fn alert_staff(
    tx: &mut PgConnection,
    staff: &[i64],
    order: &str,
    note: &str,
) -> Result<(), JobError> {
    tracing::warn!(order, note, "payment alert");
    let values = [
        ("order", crate::ui::html::escape(order)),
        ("note", crate::ui::html::escape(note)),
    ];
    let values = crate::ui::texts::borrowed(&values);
    crate::telegram::alert_staff_with(tx, staff, Text::AdminPaymentAlert, &values).await
}

/// The owners' and admins' alert about an order: sent when the order is made (`first`), and
/// edited in place with each later status, so each order is one message per admin.
pub(crate) async fn order_alert(
    tx: &mut PgConnection,
    staff: &[i64],
    order_id: i64,
    first: bool,
) -> Result<(), JobError> {
    if staff.is_empty() {
        return Ok(());
    }
    let order = sqlx::query!(
        r#"SELECT o.public_id, o.status AS "status: OrderStatus", o.total, o.payment_method, o.late_outcome,
                  coalesce(u.display_name, u.first_name) AS "name!", u.username, u.telegram_id
           FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1"#,
        order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let texts = Texts::load(tx, Locale::Id).await?;
    let all_items = crate::shop::order::items(tx, order_id).await?;
    let customer = format!(
        "{} ({}{})",
        crate::ui::html::outside(&order.name, 64),
        order.telegram_id,
        order
            .username
            .map(|u| format!(", @{}", crate::ui::html::outside(&u, 64)))
            .unwrap_or_default()
    );
    for (chat, locale) in Texts::locales_of(tx, staff).await? {
        let t = texts.in_locale(locale);
        let mut items = crate::ui::order::item_lines(&t, &all_items);
        // An alert stays one message: a very large order shows its first lines.
        items.truncate(20);
        // A payment after the order closed is news the alert must tell.
        let mut status = crate::ui::order::status_text(&t, order.status);
        let late = match order.late_outcome.as_deref() {
            Some("credited") => Some(Text::AdminLateCredited),
            Some("resold") => Some(Text::AdminLateResold),
            _ => None,
        };
        if let Some(late) = late {
            status.push_str(&format!(" · {}", t.get(late)));
        }
        let text = t.render(
            Text::AdminOrderAlert,
            &[
                ("id", &order.public_id),
                ("customer", &customer),
                ("items", &items.join("\n")),
                ("total", &crate::ui::screen::rupiah(order.total)),
                ("method", &order.payment_method),
                ("status", &status),
            ],
        );
        let track = crate::ui::message::Track::order_alert(order_id);
        let message = Outgoing::tracked(first, track, text, None);
        push_alert(tx, chat, vec![message]).await?;
    }
    Ok(())
}

/// When an invoice expires, as customers read it (the shop's time zone).
pub(crate) fn expiry(at: chrono::DateTime<chrono::Utc>, timezone: chrono_tz::Tz) -> String {
    at.with_timezone(&timezone)
        .format("%d-%m-%Y %H:%M %Z")
        .to_string()
}

/// Queue the closing of `invoices` at Pakasir, one job each (in the caller's transaction).
pub(crate) async fn cancel_at_gateway(
    tx: &mut PgConnection,
    invoices: impl IntoIterator<Item = i64>,
) -> Result<(), JobError> {
    for invoice_id in invoices {
        let cancel = jobs::catalogue::CancelAtGateway {
            invoice_id: crate::shop::ids::InvoiceId(invoice_id),
        };
        jobs::enqueue(&mut *tx, &cancel).await?;
    }
    Ok(())
}

/// Return an order's reserved contents to stock.
pub(crate) async fn release(tx: &mut PgConnection, order_id: i64) -> Result<u64, JobError> {
    Ok(sqlx::query!(
        r#"UPDATE product_contents SET state = 'available', order_id = NULL, reserved_at = NULL
           WHERE order_id = $1 AND state = 'reserved'"#,
        order_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected())
}

/// Mark an order's reserved contents sold.
pub(crate) async fn sell(tx: &mut PgConnection, order_id: i64) -> Result<u64, JobError> {
    Ok(sqlx::query!(
        "UPDATE product_contents SET state = 'sold', sold_at = now() WHERE order_id = $1 AND state = 'reserved'",
        order_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected())
}

/// Reserve `quantity` available contents of `variant_id` for the order. How many could be
/// reserved: fewer than `quantity` when others hold or bought the rest (the caller then rolls
/// back).
pub(crate) async fn reserve(
    tx: &mut PgConnection,
    order_id: i64,
    variant_id: crate::shop::ids::VariantId,
    quantity: i32,
) -> Result<i64, JobError> {
    let reserved = sqlx::query!(
        r#"
        WITH picked AS (
            SELECT id FROM product_contents
            WHERE variant_id = $2 AND state = 'available'
            ORDER BY id
            LIMIT $3
            FOR UPDATE SKIP LOCKED
        )
        UPDATE product_contents pc SET state = 'reserved', order_id = $1, reserved_at = now()
        FROM picked WHERE pc.id = picked.id
        "#,
        order_id,
        variant_id.get(),
        i64::from(quantity),
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(i64::try_from(reserved).unwrap_or(0))
}

/// The order's paid state: contents sold, voucher use recorded, the goods queued and the
/// order delivered, all in the caller's transaction (one job for a payment and its goods).
/// The caller has moved the order to `paid` under its row lock, and updates the staff's
/// order alert after.
pub(crate) async fn settle(
    tx: &mut PgConnection,
    order_id: i64,
    staff: &[i64],
) -> Result<(), JobError> {
    sell(tx, order_id).await?;
    sqlx::query!(
        r#"
        INSERT INTO voucher_redemptions (voucher_id, user_id, order_id, discount)
        SELECT voucher_id, user_id, id, discount FROM orders
        WHERE id = $1 AND voucher_id IS NOT NULL AND discount > 0
        ON CONFLICT (order_id) DO NOTHING
        "#,
        order_id
    )
    .execute(&mut *tx)
    .await?;
    crate::telemetry::record(&mut *tx, "orders.paid", 1).await?;
    deliver::deliver_paid(tx, order_id, staff).await?;
    Ok(())
}

/// The sweep's safety net for payments: unpaid orders and top-ups past their expiry get their
/// close job, and orders still without an invoice after ten minutes get their invoice job
/// (both keyed, so a job that exists already is left alone; a failed one shows in `jobs`).
pub async fn sweep(pool: &sqlx::PgPool) -> Result<u64, JobError> {
    use jobs::catalogue::{CloseDeposit, CloseOrder, CloseReason, CreateInvoice};
    let mut enqueued = 0;
    let overdue = sqlx::query_scalar!(
        r#"SELECT id FROM orders WHERE status = 'awaiting_payment'
           AND expires_at < now() - interval '1 minute' ORDER BY id LIMIT 500"#
    )
    .fetch_all(pool)
    .await?;
    enqueued += enqueue_each(
        pool,
        overdue.into_iter().map(|id| CloseOrder {
            order_id: OrderId(id),
            reason: CloseReason::Expired,
        }),
    )
    .await?;
    let stalled = sqlx::query_scalar!(
        r#"SELECT id FROM orders WHERE status = 'awaiting_payment' AND expires_at IS NULL
           AND created_at < now() - interval '10 minutes' ORDER BY id LIMIT 500"#
    )
    .fetch_all(pool)
    .await?;
    let invoices = stalled.into_iter().map(|id| CreateInvoice {
        order_id: OrderId(id),
    });
    enqueued += enqueue_each(pool, invoices).await?;
    let deposits = sqlx::query_scalar!(
        r#"SELECT id FROM deposits WHERE status = 'awaiting_payment'
           AND expires_at < now() - interval '1 minute' ORDER BY id LIMIT 500"#
    )
    .fetch_all(pool)
    .await?;
    let closes = deposits.into_iter().map(|id| CloseDeposit {
        deposit_id: DepositId(id),
    });
    enqueued += enqueue_each(pool, closes).await?;
    Ok(enqueued)
}

/// Enqueue each of `jobs` (one already queued under its key is skipped); how many were new.
async fn enqueue_each<J: jobs::Job>(
    pool: &sqlx::PgPool,
    jobs: impl IntoIterator<Item = J>,
) -> Result<u64, JobError> {
    let mut enqueued = 0;
    for job in jobs {
        enqueued += u64::from(jobs::enqueue(pool, &job).await?.is_some());
    }
    Ok(enqueued)
}
