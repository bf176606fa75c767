//! A customer's order history: pages of orders with their status, an order's items, and its
//! purchased contents sent again. Every query is scoped to the customer, so a forged order id
//! finds nothing.

use sqlx::PgConnection;

use crate::JobError;
use crate::shop::ids::OrderId;
use crate::shop::ids::UserId;
use crate::shop::order;
use crate::shop::status::OrderStatus;
use crate::ui::callback::Callback;
use crate::ui::html::escape;
use crate::ui::order::{item_lines, status_text};
use crate::ui::screen::{Screen, paging, rupiah};
use crate::ui::texts::{Text, Texts};
use crate::ui::{Button, Outgoing};

const PAGE_SIZE: i64 = 8;

fn date(at: chrono::DateTime<chrono::Utc>, timezone: chrono_tz::Tz) -> String {
    at.with_timezone(&timezone)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

pub async fn list(
    tx: &mut PgConnection,
    t: &Texts,
    user_id: UserId,
    page: u32,
    timezone: chrono_tz::Tz,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT id, public_id, status AS "status: OrderStatus", total, created_at, count(*) OVER () AS "count!"
        FROM orders WHERE user_id = $1
        ORDER BY created_at DESC, id DESC
        LIMIT $2 OFFSET $3
        "#,
        user_id.get(),
        PAGE_SIZE,
        i64::from(page) * PAGE_SIZE,
    )
    .fetch_all(&mut *tx)
    .await?;
    let Some(count) = rows.first().map(|row| row.count) else {
        return Ok(Screen {
            text: t.render(Text::OrdersEmpty, &[]),
            buttons: vec![vec![Button::callback(
                t.get(Text::ButtonShop),
                Callback::Categories.encode(),
            )]],
        });
    };
    let pages = (count + PAGE_SIZE - 1) / PAGE_SIZE;
    let mut lines = vec![t.render(
        Text::OrdersHeader,
        &[
            ("page", &(i64::from(page) + 1).to_string()),
            ("pages", &pages.to_string()),
        ],
    )];
    let first = i64::from(page) * PAGE_SIZE;
    let mut numbers = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let n = (first + i as i64 + 1).to_string();
        lines.push(t.render(
            Text::OrderLine,
            &[
                ("n", &n),
                ("id", &escape(&row.public_id)),
                ("date", &date(row.created_at, timezone)),
                ("total", &rupiah(row.total)),
                ("status", &status_text(t, row.status)),
            ],
        ));
        numbers.push(Button::callback(
            n,
            Callback::Order {
                id: OrderId(row.id),
                page,
            }
            .encode(),
        ));
    }
    let mut buttons: Vec<Vec<Button>> = numbers.chunks(4).map(<[Button]>::to_vec).collect();
    buttons.extend(paging(page, pages, |page| Callback::Orders { page }));
    Ok(Screen {
        text: lines.join("\n"),
        buttons,
    })
}

pub async fn detail(
    tx: &mut PgConnection,
    t: &Texts,
    user_id: UserId,
    order_id: OrderId,
    page: u32,
    timezone: chrono_tz::Tz,
) -> Result<Screen, JobError> {
    let back = vec![Button::callback(
        t.get(Text::Back),
        Callback::Orders { page }.encode(),
    )];
    let order = sqlx::query!(
        r#"SELECT public_id, status AS "status: OrderStatus", payment_method, subtotal, discount, total, created_at
           FROM orders WHERE id = $1 AND user_id = $2"#,
        order_id.get(),
        user_id.get(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order) = order else {
        return Ok(Screen {
            text: t.render(Text::OrderNotFound, &[]),
            buttons: vec![back],
        });
    };
    let items = item_lines(t, &order::items(tx, order_id.get()).await?);
    let method = if order.payment_method == "balance" {
        Text::MethodBalance
    } else {
        Text::MethodQris
    };
    let text = t.render(
        Text::OrderDetail,
        &[
            ("id", &escape(&order.public_id)),
            ("status", &status_text(t, order.status)),
            ("date", &date(order.created_at, timezone)),
            ("method", t.get(method)),
            ("items", &items.join("\n")),
            ("subtotal", &rupiah(order.subtotal)),
            ("discount", &rupiah(order.discount)),
            ("total", &rupiah(order.total)),
        ],
    );
    let mut buttons = Vec::new();
    if order.status.is_paid() {
        buttons.push(vec![Button::callback(
            t.get(Text::ButtonShowContents),
            Callback::Contents { id: order_id }.encode(),
        )]);
    }
    buttons.push(back);
    Ok(Screen { text, buttons })
}

/// The order's sold contents as messages (split to fit), or a one-line reason.
pub async fn contents(
    tx: &mut PgConnection,
    t: &Texts,
    user_id: UserId,
    order_id: OrderId,
) -> Result<Outgoing, JobError> {
    let order = sqlx::query!(
        r#"SELECT public_id, status AS "status: OrderStatus" FROM orders WHERE id = $1 AND user_id = $2"#,
        order_id.get(),
        user_id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order) = order else {
        return Ok(Outgoing::text(t.render(Text::OrderNotFound, &[])));
    };
    let rows = sqlx::query!(
        r#"
        SELECT p.name AS product, v.name AS variant, pc.content FROM product_contents pc
        JOIN product_variants v ON v.id = pc.variant_id
        JOIN products p ON p.id = v.product_id
        WHERE pc.order_id = $1 AND pc.state = 'sold'
        ORDER BY pc.variant_id, pc.id
        "#,
        order_id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(Outgoing::text(t.render(
            Text::OrderNoContents,
            &[("status", &status_text(t, order.status))],
        )));
    }
    let mut lines = vec![t.render(
        Text::OrderContentsHeader,
        &[("id", &escape(&order.public_id))],
    )];
    for (i, row) in rows.iter().enumerate() {
        lines.push(t.render(
            Text::OrderContentLine,
            &[
                ("n", &(i + 1).to_string()),
                (
                    "product",
                    &escape(&crate::shop::variant::label(&row.product, &row.variant)),
                ),
                ("content", &escape(&row.content)),
            ],
        ));
    }
    Ok(Outgoing::text(lines.join("\n\n")))
}
