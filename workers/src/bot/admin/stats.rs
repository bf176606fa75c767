//! Statistics for today, 7 or 30 days (days in the shop's time zone): revenue, orders by
//! status, new customers, top products, invoice → paid conversion, deposits.

use sqlx::PgConnection;

use super::callback::MenuPress;
use super::{back, button};
use crate::JobError;
use crate::bot::BotSettings;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};

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
        r#"SELECT status, count(*) AS "n!" FROM orders WHERE created_at >= $1 GROUP BY status ORDER BY status"#,
        since
    )
    .fetch_all(&mut *tx)
    .await?;
    let top = sqlx::query!(
        r#"SELECT i.product_name, sum(i.quantity)::bigint AS "quantity!", sum(i.quantity * i.unit_price)::bigint AS "amount!"
           FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.paid_at >= $1 AND o.status IN ('paid', 'delivered')
           GROUP BY i.product_name ORDER BY 2 DESC, 1 LIMIT 5"#,
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
        format!(
            "{:.0}% ({} of {})",
            totals.invoiced_paid as f64 * 100.0 / totals.invoiced as f64,
            totals.invoiced_paid,
            totals.invoiced
        )
    } else {
        "—".to_owned()
    };
    let status_line = statuses
        .iter()
        .map(|s| format!("{} {}", s.status, s.n))
        .collect::<Vec<_>>()
        .join(" · ");
    let top_lines = top
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{}. {} ×{} = {}",
                i + 1,
                escape(&p.product_name),
                p.quantity,
                rupiah(p.amount)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let label = match days {
        1 => "Today".to_owned(),
        n => format!("Last {n} days"),
    };
    let text = format!(
        "📊 <b>{label}</b>\nRevenue: <b>{}</b> from {} sale(s)\nOrders: {}\nNew customers: {}\nInvoice → paid: {conversion}\nDeposits: {} = {}\n\n<b>Top products</b>\n{}",
        rupiah(totals.revenue),
        totals.sales,
        if status_line.is_empty() {
            "—".to_owned()
        } else {
            status_line
        },
        totals.customers,
        deposits.n,
        rupiah(deposits.amount),
        if top_lines.is_empty() {
            "—".to_owned()
        } else {
            top_lines
        },
    );
    Ok(Screen {
        text,
        buttons: vec![
            vec![
                button("Today", StatsPress::Stats { days: 1 }),
                button("7 days", StatsPress::Stats { days: 7 }),
                button("30 days", StatsPress::Stats { days: 30 }),
            ],
            back(MenuPress::Home),
        ],
    })
}
