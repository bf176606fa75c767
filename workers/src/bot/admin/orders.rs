//! Orders: lists filtered by status, details, marking paid by hand (the confirm path, so it
//! delivers once), cancelling (contents released, invoice closed at Pakasir), refunds to the
//! customer's balance.

use serde_json::json;
use sqlx::PgConnection;

use super::callback::OrderFilter;
use super::callback::{MenuPress, UserPress};
use super::{Admin, Change, back, button, paging, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::payments::{self, expiry};
use crate::shop::ids::OrderId;
use crate::shop::ids::UserId;
use crate::shop::status::OrderStatus;
use crate::telegram::push;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::order::status_text;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{SalesText as S, Text, Texts};
use crate::ui::{Button, Outgoing};
use jobs::catalogue::{CloseOrder, CloseReason};

/// What the bot waits for from an admin in an order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum OrderStep {
    MarkPaidNote { order_id: OrderId },
}

callbacks! {
    /// An admin's press on orders.
    pub enum OrderPress = "a:" {
        /// Orders by status, within the last `days` days (0: any time), of one customer or all.
        Orders { filter: OrderFilter, days: u8, user: Option<UserId>, page: u32 } = "os",
        Order { id: OrderId } = "o",
        MarkPaid { id: OrderId } = "op",
        CancelOrder { id: OrderId } = "oc",
        Refund { id: OrderId, confirmed: bool } = "or",
    }
}

impl Checked for OrderPress {
    fn allowed(&self) -> bool {
        matches!(self, OrderPress::Orders { days, .. } if matches!(days, 0 | 1 | 7 | 30))
            || !matches!(self, OrderPress::Orders { .. })
    }
}

const PAGE: i64 = 10;

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: OrderPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        OrderPress::Orders {
            filter,
            days,
            user,
            page,
        } => {
            let query = Query { filter, days, user };
            Reply::edit(list(tx, t, query, page, settings).await?)
        }
        OrderPress::Order { id } => Reply::edit(detail(tx, t, id, settings).await?),
        OrderPress::MarkPaid { id } => {
            let step = super::OrderStep::MarkPaidNote { order_id: id };
            return wait_for(tx, admin, step, t.get(S::MarkPaidPrompt), settings).await;
        }
        OrderPress::CancelOrder { id } => {
            let open = sqlx::query_scalar!(
                "SELECT id FROM orders WHERE id = $1 AND status = 'awaiting_payment'",
                id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if open.is_none() {
                return Ok(Reply::default().noticed(Some(t.get(S::OnlyAwaitingCancel).to_owned())));
            }
            jobs::enqueue(
                &mut *tx,
                &CloseOrder {
                    order_id: id,
                    reason: CloseReason::Cancelled,
                },
            )
            .await?;
            let change = Change::of("order.cancel", "order", id)
                .before(json!({ "status": "awaiting_payment" }))
                .after(json!({ "status": "cancelled" }));
            admin.audit(tx, change).await?;
            Reply::edit(detail(tx, t, id, settings).await?)
                .noticed(Some(t.get(S::Cancelling).to_owned()))
        }
        OrderPress::Refund {
            id,
            confirmed: false,
        } => Reply::edit(Screen {
            text: t.get(S::ConfirmRefund).to_owned(),
            buttons: vec![
                vec![button(
                    t.get(S::YesRefund),
                    OrderPress::Refund {
                        id,
                        confirmed: true,
                    },
                )],
                back(t, OrderPress::Order { id }),
            ],
        }),
        OrderPress::Refund {
            id,
            confirmed: true,
        } => {
            let notice = refund(tx, admin, id).await?;
            Reply::edit(detail(tx, t, id, settings).await?).noticed(Some(notice))
        }
    })
}

/// "Mark paid" with the admin's note: the same path as a confirmed webhook.
pub(super) async fn mark_paid(
    tx: &mut PgConnection,
    admin: &Admin,
    order_id: OrderId,
    note: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let note = note.trim();
    if note.is_empty() {
        return Ok(vec![super::ask(t, t.get(S::NoteNeeded))]);
    }
    let note: String = note.chars().take(500).collect();
    conversation::clear(tx, admin.chat).await?;
    let exists = sqlx::query_scalar!("SELECT status FROM orders WHERE id = $1", order_id.get())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(before) = exists else {
        return Ok(vec![Outgoing::text(t.get(S::OrderGone))]);
    };
    let outcome = payments::confirm::by_hand(
        tx,
        order_id.get(),
        &admin.actor(),
        &note,
        &settings.payments,
    )
    .await?;
    let change = Change::of("order.mark_paid", "order", order_id)
        .before(json!({ "status": before }))
        .after(json!({ "outcome": outcome, "note": note }));
    admin.audit(tx, change).await?;
    let screen = detail(tx, t, order_id, settings).await?;
    Ok(vec![
        Outgoing::text(t.render(S::MarkedPaid, &[("outcome", &escape(&outcome))])),
        message(screen),
    ])
}

/// Paid or delivered → refunded, the total credited to the customer's balance.
async fn refund(tx: &mut PgConnection, admin: &Admin, id: OrderId) -> Result<String, JobError> {
    let order = sqlx::query!(
        r#"UPDATE orders SET status = 'refunded', closed_at = now(), close_reason = 'refunded', updated_at = now()
           WHERE id = $1 AND status IN ('paid', 'delivered')
           RETURNING public_id, user_id, total"#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order) = order else {
        return Ok(admin.t.get(S::OnlyPaidRefund).to_owned());
    };
    if order.total > 0 {
        let balance = sqlx::query_scalar!(
            "UPDATE users SET balance = balance + $2, updated_at = now() WHERE id = $1 RETURNING balance",
            order.user_id,
            order.total
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            r#"INSERT INTO balance_ledger (user_id, delta, balance_after, reason, order_id, actor, note)
               VALUES ($1, $2, $3, 'refund', $4, $5, 'refund by an admin')"#,
            order.user_id,
            order.total,
            balance,
            id.get(),
            admin.actor(),
        )
        .execute(&mut *tx)
        .await?;
        let buyer = payments::buyer(tx, id.get()).await?;
        let text = buyer.texts.render(
            Text::Refunded,
            &[
                ("id", &order.public_id),
                ("amount", &rupiah(order.total)),
                ("balance", &rupiah(balance)),
            ],
        );
        push(tx, buyer.chat_id, vec![Outgoing::text(text)]).await?;
    }
    let change = Change::of("order.refund", "order", id)
        .after(json!({ "status": "refunded", "credited": order.total }));
    admin.audit(tx, change).await?;
    Ok(admin
        .t
        .render(S::Refunded, &[("amount", &rupiah(order.total))]))
}

/// Which orders a list shows: by status, period and customer.
#[derive(Debug, Clone, Copy)]
struct Query {
    filter: OrderFilter,
    days: u8,
    user: Option<UserId>,
}

impl Query {
    fn page(self, page: u32) -> OrderPress {
        OrderPress::Orders {
            filter: self.filter,
            days: self.days,
            user: self.user,
            page,
        }
    }
}

async fn list(
    tx: &mut PgConnection,
    t: &Texts,
    query: Query,
    page: u32,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let zone = settings.timezone.name();
    let rows = sqlx::query!(
        r#"
        SELECT o.id, o.public_id, o.status AS "status: OrderStatus", o.total, o.created_at,
               coalesce(u.username, u.first_name) AS "customer!", count(*) OVER () AS "count!"
        FROM orders o JOIN users u ON u.id = o.user_id
        WHERE ($1::text IS NULL OR o.status = $1)
          AND ($2::bigint IS NULL OR o.user_id = $2)
          AND ($3 = 0 OR o.created_at >= (date_trunc('day', now() AT TIME ZONE $4)
                                          - make_interval(days => $3 - 1)) AT TIME ZONE $4)
        ORDER BY o.id DESC LIMIT $5 OFFSET $6
        "#,
        query.filter.status().map(OrderStatus::as_str),
        query.user.map(UserId::get),
        i32::from(query.days),
        zone,
        PAGE,
        i64::from(page) * PAGE
    )
    .fetch_all(&mut *tx)
    .await?;
    let count = rows.first().map_or(0, |r| r.count);
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            let label = t.render(
                S::ListButton,
                &[
                    ("id", &row.public_id),
                    ("total", &rupiah(row.total)),
                    ("status", &status_text(t, row.status)),
                    ("customer", &row.customer),
                ],
            );
            vec![button(
                label,
                OrderPress::Order {
                    id: OrderId(row.id),
                },
            )]
        })
        .collect();
    let more = i64::from(page + 1) * PAGE < count;
    paging(&mut buttons, page, more, |page| query.page(page));
    let mark = |on: bool| if on { "• " } else { "" };
    for chunk in OrderFilter::EVERY.chunks(4) {
        buttons.push(
            chunk
                .iter()
                .map(|f| {
                    let to = Query {
                        filter: *f,
                        ..query
                    };
                    button(
                        format!("{}{}", mark(*f == query.filter), filter_label(t, *f)),
                        to.page(0),
                    )
                })
                .collect(),
        );
    }
    buttons.push(
        [
            (0, S::AnyTime),
            (1, S::Today),
            (7, S::SevenDays),
            (30, S::ThirtyDays),
        ]
        .into_iter()
        .map(|(days, label)| {
            let to = Query { days, ..query };
            let label = format!("{}{}", mark(days == query.days), t.get(label));
            button(label, to.page(0))
        })
        .collect(),
    );
    if let Some(user) = query.user {
        buttons.push(vec![
            button(t.get(S::CustomerButton), UserPress::User { id: user }),
            button(
                t.get(S::EveryCustomer),
                Query {
                    user: None,
                    ..query
                }
                .page(0),
            ),
        ]);
    }
    buttons.push(back(t, MenuPress::Home));
    let period = match query.days {
        0 => String::new(),
        1 => t.get(S::PeriodToday).to_owned(),
        n => t.render(S::PeriodDays, &[("days", &n.to_string())]),
    };
    let newest = rows
        .first()
        .map(|r| {
            let at = expiry(r.created_at, settings.timezone);
            t.render(S::Newest, &[("at", &at)])
        })
        .unwrap_or_default();
    let customer = if query.user.is_some() {
        t.get(S::OneCustomer)
    } else {
        ""
    };
    Ok(Screen {
        text: t.render(
            S::ListHeader,
            &[
                ("filter", &filter_label(t, query.filter)),
                ("period", &period),
                ("customer", customer),
                ("count", &count.to_string()),
                ("newest", &newest),
            ],
        ),
        buttons,
    })
}

/// A filter's name: the status it selects, or "all".
fn filter_label(t: &Texts, filter: OrderFilter) -> String {
    filter.status().map_or_else(
        || t.get(S::FilterAll).to_owned(),
        |status| status_text(t, status),
    )
}

pub(super) async fn detail(
    tx: &mut PgConnection,
    t: &Texts,
    id: OrderId,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let order = sqlx::query!(
        r#"
        SELECT o.public_id, o.status AS "status: OrderStatus", o.payment_method, o.subtotal, o.discount, o.total,
               o.created_at, o.paid_at, o.delivered_at, o.close_reason, o.late_outcome,
               u.id AS user_id, u.telegram_id, coalesce(u.username, u.first_name) AS "customer!"
        FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1
        "#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(order) = order else {
        return Ok(Screen {
            text: t.get(S::OrderGone).to_owned(),
            buttons: vec![back(
                t,
                OrderPress::Orders {
                    filter: OrderFilter::All,
                    days: 0,
                    user: None,
                    page: 0,
                },
            )],
        });
    };
    let items = sqlx::query!(
        "SELECT product_name, quantity, unit_price FROM order_items WHERE order_id = $1 ORDER BY id",
        id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    let zone = settings.timezone;
    let lines: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "• {} ×{} = {}",
                escape(&i.product_name),
                i.quantity,
                rupiah(i.unit_price * i64::from(i.quantity))
            )
        })
        .collect();
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map_or_else(|| "—".to_owned(), |at| expiry(at, zone))
    };
    let text = t.render(
        S::OrderDetail,
        &[
            ("id", &order.public_id),
            ("status", &status_text(t, order.status)),
            ("customer", &escape(&order.customer)),
            ("telegram_id", &order.telegram_id.to_string()),
            ("method", &order.payment_method),
            ("items", &lines.join("\n")),
            ("subtotal", &rupiah(order.subtotal)),
            ("discount", &rupiah(order.discount)),
            ("total", &rupiah(order.total)),
            ("created", &expiry(order.created_at, zone)),
            ("paid", &when(order.paid_at)),
            ("delivered", &when(order.delivered_at)),
            (
                "closed",
                &order
                    .close_reason
                    .map(|r| t.render(S::Closed, &[("reason", &r)]))
                    .unwrap_or_default(),
            ),
            (
                "late",
                &order
                    .late_outcome
                    .map(|r| t.render(S::LatePayment, &[("outcome", &r)]))
                    .unwrap_or_default(),
            ),
        ],
    );
    let mark_paid = || button(t.get(S::MarkPaidButton), OrderPress::MarkPaid { id });
    let mut buttons = Vec::new();
    match order.status {
        OrderStatus::AwaitingPayment => buttons.push(vec![
            mark_paid(),
            button(t.get(S::CancelOrderButton), OrderPress::CancelOrder { id }),
        ]),
        OrderStatus::Expired | OrderStatus::Cancelled => buttons.push(vec![mark_paid()]),
        OrderStatus::Paid | OrderStatus::Delivered => buttons.push(vec![button(
            t.get(S::RefundButton),
            OrderPress::Refund {
                id,
                confirmed: false,
            },
        )]),
        OrderStatus::Refunded => {}
    }
    buttons.push(vec![button(
        t.get(S::CustomerButton),
        UserPress::User {
            id: UserId(order.user_id),
        },
    )]);
    buttons.push(back(
        t,
        OrderPress::Orders {
            filter: OrderFilter::All,
            days: 0,
            user: None,
            page: 0,
        },
    ));
    Ok(Screen { text, buttons })
}
