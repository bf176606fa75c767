//! Statistics for today, 7 or 30 days (days in the shop's time zone): revenue, orders by
//! status, new customers, top variants (a product of one variant by its name), invoice → paid
//! conversion, deposits.

use sqlx::PgConnection;

use super::callback::MenuPress;
use super::{back, button};
use crate::JobError;
use crate::bot::BotSettings;
use crate::shop::status::OrderStatus;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::order::status_text;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{SalesText as S, Texts};

callbacks! {
    /// An admin's press on statistics.
    pub enum StatsPress = "a:" {
        Stats { days: u8 } = "st",
    }
}

impl Checked for StatsPress {
    fn allowed(&self) -> bool {
        matches!(self, StatsPress::Stats { days } if matches!(days, 1 | 7 | 30))
    }
}

pub(super) async fn screen(
    tx: &mut PgConnection,
    t: &Texts,
    days: u8,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let zone = settings.timezone.name();
    let days = i32::from(days);
    // The period starts at midnight (shop time) `days - 1` days ago.
    let since = sqlx::query_scalar!(
        r#"SELECT (date_trunc('day', now() AT TIME ZONE $1) - make_interval(days => $2 - 1)) AT TIME ZONE $1 AS "since!""#,
        zone,
        days
    )
    .fetch_one(&mut *tx)
    .await?;
    let totals = sqlx::query!(
        r#"SELECT
             coalesce(sum(total) FILTER (WHERE paid_at >= $1 AND status IN ('paid', 'delivered')), 0)::bigint AS "revenue!",
             count(*) FILTER (WHERE paid_at >= $1 AND status IN ('paid', 'delivered')) AS "sales!",
             count(*) FILTER (WHERE created_at >= $1 AND payment_method = 'qris') AS "invoiced!",
             count(*) FILTER (WHERE created_at >= $1 AND payment_method = 'qris' AND paid_at IS NOT NULL) AS "invoiced_paid!",
             (SELECT count(*) FROM users WHERE created_at >= $1) AS "customers!"
           FROM orders"#,
        since
    )
    .fetch_one(&mut *tx)
    .await?;
    let statuses = sqlx::query!(
        r#"SELECT status AS "status: OrderStatus", count(*) AS "n!" FROM orders WHERE created_at >= $1 GROUP BY status ORDER BY status"#,
        since
    )
    .fetch_all(&mut *tx)
    .await?;
    let top = sqlx::query!(
        r#"SELECT i.product_name, i.variant_name, sum(i.quantity)::bigint AS "quantity!",
                  sum(i.quantity * i.unit_price)::bigint AS "amount!"
           FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.paid_at >= $1 AND o.status IN ('paid', 'delivered')
           GROUP BY i.product_name, i.variant_name ORDER BY 3 DESC, 1, 2 LIMIT 5"#,
        since
    )
    .fetch_all(&mut *tx)
    .await?;
    let deposits = sqlx::query!(
        r#"SELECT count(*) AS "n!", coalesce(sum(amount), 0)::bigint AS "amount!"
           FROM deposits WHERE status = 'paid' AND paid_at >= $1"#,
        since
    )
    .fetch_one(&mut *tx)
    .await?;
    let conversion = if totals.invoiced > 0 {
        let percent = format!(
            "{:.0}",
            totals.invoiced_paid as f64 * 100.0 / totals.invoiced as f64
        );
        t.render(
            S::Conversion,
            &[
                ("percent", &percent),
                ("paid", &totals.invoiced_paid.to_string()),
                ("invoiced", &totals.invoiced.to_string()),
            ],
        )
    } else {
        "—".to_owned()
    };
    let status_line = statuses
        .iter()
        .map(|s| format!("{} {}", status_text(t, s.status), s.n))
        .collect::<Vec<_>>()
        .join(" · ");
    let top_lines = top
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{}. {} ×{} = {}",
                i + 1,
                escape(&crate::shop::variant::label(
                    &p.product_name,
                    &p.variant_name
                )),
                p.quantity,
                rupiah(p.amount)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let label = match days {
        1 => t.get(S::StatsToday).to_owned(),
        n => t.render(S::StatsDays, &[("days", &n.to_string())]),
    };
    let or_dash = |s: String| if s.is_empty() { "—".to_owned() } else { s };
    let text = t.render(
        S::Stats,
        &[
            ("label", &label),
            ("revenue", &rupiah(totals.revenue)),
            ("sales", &totals.sales.to_string()),
            ("statuses", &or_dash(status_line)),
            ("customers", &totals.customers.to_string()),
            ("conversion", &conversion),
            ("deposits", &deposits.n.to_string()),
            ("deposited", &rupiah(deposits.amount)),
            ("top", &or_dash(top_lines)),
        ],
    );
    Ok(Screen {
        text,
        buttons: vec![
            vec![
                button(t.get(S::StatsToday), StatsPress::Stats { days: 1 }),
                button(t.get(S::StatsSevenButton), StatsPress::Stats { days: 7 }),
                button(t.get(S::StatsThirtyButton), StatsPress::Stats { days: 30 }),
            ],
            back(t, MenuPress::Home),
        ],
    })
}
