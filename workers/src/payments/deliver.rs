//! A paid order's goods, once: [`deliver_paid`], in the transaction that marks the order
//! paid (checkout by balance, a confirmed payment), and the `order.deliver` job for a paid
//! order that was not delivered with its payment (jobs queued by earlier versions).
//!
//! Under the order's row lock the order moves `paid → delivered` in the same transaction that
//! queues the messages, so a retry or a second job finds it delivered and sends nothing
//! twice; the outbox's cursor makes the sending itself resume where it stopped.

use jobs::catalogue::DeliverOrder;

use sqlx::PgConnection;

use super::buyer;
use crate::shop::ids::{OrderId, ProductId};
use crate::shop::status::OrderStatus;
use crate::shop::variant::label;
use crate::telegram::outbox::Batch;
use crate::telegram::{alert_staff_with, push_batch};
use crate::ui::Button;
use crate::ui::Outgoing;
use crate::ui::callback::Callback;
use crate::ui::html::escape;
use crate::ui::message::{Keyboard, Track};
use crate::ui::texts::Text;
use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, staff: Vec<i64>) {
    registry.register(move |job: DeliverOrder, ctx: JobContext| {
        let staff = staff.clone();
        async move { deliver(job, ctx, &staff).await }
    });
}

async fn deliver(job: DeliverOrder, ctx: JobContext, staff: &[i64]) -> Result<(), JobError> {
    let order_id = job.order_id.get();
    let mut tx = ctx.pool.begin().await?;
    if deliver_paid(&mut tx, order_id, staff).await? {
        super::order_alert(&mut tx, staff, order_id, false).await?;
        ctx.commit(tx).await?;
    }
    Ok(())
}

/// Queue the goods of order `order_id` and mark it delivered, when it is paid and not yet
/// delivered (false: nothing to do). The staff's order alert is the caller's to update.
pub(crate) async fn deliver_paid(
    tx: &mut PgConnection,
    order_id: i64,
    staff: &[i64],
) -> Result<bool, JobError> {
    let order = sqlx::query!(
        r#"SELECT public_id, status AS "status: OrderStatus" FROM orders WHERE id = $1 FOR UPDATE"#,
        order_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order) = order.filter(|o| o.status == OrderStatus::Paid) else {
        return Ok(false);
    };
    let buyer = buyer(&mut *tx, order_id).await?;
    let t = &buyer.texts;
    let contents = sqlx::query!(
        r#"SELECT p.name AS product, v.name AS variant, pc.content FROM product_contents pc
           JOIN product_variants v ON v.id = pc.variant_id JOIN products p ON p.id = v.product_id
           WHERE pc.order_id = $1 AND pc.state = 'sold' ORDER BY pc.variant_id, pc.id"#,
        order_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let items: Vec<String> = contents
        .iter()
        .enumerate()
        .map(|(i, row)| {
            t.render(
                Text::OrderContentLine,
                &[
                    ("n", &(i + 1).to_string()),
                    ("product", &escape(&label(&row.product, &row.variant))),
                    ("content", &escape(&row.content)),
                ],
            )
        })
        .collect();
    let mut messages = vec![
        Outgoing::ClearTracked {
            track: Track::invoice(order_id),
            fallback: t.render(Text::InvoicePaidCaption, &[("id", &order.public_id)]),
        },
        Outgoing::text(t.render(
            Text::Delivery,
            &[("id", &order.public_id), ("items", &items.join("\n\n"))],
        )),
    ];
    let terms = sqlx::query!(
        r#"SELECT DISTINCT ON (p.id) p.id, p.name, p.terms AS "terms!"
           FROM order_items oi JOIN products p ON p.id = oi.product_id
           WHERE oi.order_id = $1 AND p.terms IS NOT NULL AND p.terms <> '' ORDER BY p.id, oi.id"#,
        order_id
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in terms {
        let proof = Callback::Terms {
            order: OrderId(order_id),
            product: ProductId(row.id),
        };
        messages.push(Outgoing::text_with(
            t.render(
                Text::DeliveryTerms,
                &[
                    ("product", &escape(&row.name)),
                    ("terms", &escape(&row.terms)),
                ],
            ),
            Keyboard::Inline(vec![vec![Button::callback(
                t.get(Text::ButtonTerms),
                proof.encode(),
            )]]),
        ));
    }
    // The batch names its order: a customer who blocked the bot is told later where it is.
    let batch = Batch {
        alert: false,
        goods_of: Some(order_id),
    };
    push_batch(&mut *tx, buyer.chat_id, messages, batch).await?;
    sqlx::query!(
        "UPDATE orders SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE id = $1",
        order_id
    )
    .execute(&mut *tx)
    .await?;
    crate::telemetry::record(&mut *tx, "orders.delivered", 1).await?;
    low_stock(&mut *tx, order_id, staff).await?;
    Ok(true)
}

/// Variants of the order whose stock is now below their threshold (or the shop's default):
/// the admins are told once per crossing (a restock above the threshold re-arms the alert).
async fn low_stock(tx: &mut PgConnection, order_id: i64, staff: &[i64]) -> Result<(), JobError> {
    let low = sqlx::query!(
        r#"
        WITH stock AS (
            SELECT v.id, count(pc.id) AS available
            FROM product_variants v
            LEFT JOIN product_contents pc ON pc.variant_id = v.id AND pc.state = 'available'
            WHERE v.id IN (SELECT variant_id FROM order_items WHERE order_id = $1)
              AND v.low_stock_alerted_at IS NULL
            GROUP BY v.id
        ), threshold AS (
            -- The variant's own threshold, else the shop's default (a setting).
            SELECT stock.id, stock.available,
                   coalesce(v.low_stock_threshold,
                            (SELECT (value #>> '{}')::int FROM settings WHERE key = 'low_stock_threshold')) AS value
            FROM stock JOIN product_variants v ON v.id = stock.id
        )
        UPDATE product_variants v SET low_stock_alerted_at = now()
        FROM threshold WHERE v.id = threshold.id AND threshold.available < threshold.value
        RETURNING (SELECT name FROM products WHERE id = v.product_id) AS "product!", v.name,
                  threshold.available AS "stock!", threshold.value AS "threshold!"
        "#,
        order_id
    )
    .fetch_all(&mut *tx)
    .await?;
    if low.is_empty() {
        return Ok(());
    }
    for row in low {
        let values = [
            ("product", escape(&label(&row.product, &row.name))),
            ("stock", row.stock.to_string()),
            ("threshold", row.threshold.to_string()),
        ];
        let values = crate::ui::texts::borrowed(&values);
        alert_staff_with(tx, staff, Text::AdminLowStock, &values).await?;
    }
    Ok(())
}
