//! The shop's invariants, checked against the database: stock, money, deliveries, invoices,
//! payments and jobs. `bot-auto-order reconcile` prints the report; the chaos tests require it
//! to be empty. Each check returns the offending ids (a few) and how many there are. States
//! that are fine for a while (paid, awaiting an invoice, a pending job) count after 10 minutes.

use serde::Serialize;
use sqlx::PgPool;

/// One invariant and what breaks it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub check: &'static str,
    /// What must hold.
    pub rule: &'static str,
    pub count: i64,
    /// Up to ten examples (ids, with a short reason).
    pub examples: Vec<String>,
}

struct Check {
    name: &'static str,
    rule: &'static str,
    /// Returns one text row per offender.
    sql: &'static str,
}

const CHECKS: [Check; 12] = [
    Check {
        name: "stock.reserved",
        rule: "a reserved content belongs to an order awaiting payment",
        sql: "SELECT 'content ' || pc.id || ' (order ' || coalesce(o.public_id, '?') || ' is ' || coalesce(o.status, 'missing') || ')'
              FROM product_contents pc LEFT JOIN orders o ON o.id = pc.order_id
              WHERE pc.state = 'reserved' AND (o.id IS NULL OR o.status <> 'awaiting_payment')",
    },
    Check {
        name: "stock.sold",
        rule: "a sold content belongs to a paid, delivered or refunded order",
        sql: "SELECT 'content ' || pc.id || ' (order ' || coalesce(o.public_id, '?') || ' is ' || coalesce(o.status, 'missing') || ')'
              FROM product_contents pc LEFT JOIN orders o ON o.id = pc.order_id
              WHERE pc.state = 'sold' AND (o.id IS NULL OR o.status NOT IN ('paid', 'delivered', 'refunded'))",
    },
    Check {
        name: "stock.per_item",
        rule: "an open or paid order holds exactly its quantity of each variant; a closed one holds none",
        sql: "SELECT o.public_id || ' ' || i.product_name || ' / ' || i.variant_name || ': holds ' || count(pc.id) || ', should ' ||
                     CASE WHEN o.status IN ('expired', 'cancelled') THEN 0 ELSE i.quantity END
              FROM orders o JOIN order_items i ON i.order_id = o.id
              LEFT JOIN product_contents pc ON pc.order_id = o.id AND pc.variant_id = i.variant_id
              GROUP BY o.id, i.id
              HAVING count(pc.id) <> CASE WHEN o.status IN ('expired', 'cancelled') THEN 0 ELSE i.quantity END",
    },
    Check {
        name: "stock.variant",
        rule: "an order line's variant is a variant of the line's product",
        sql: "SELECT o.public_id || ' ' || i.product_name || ' / ' || i.variant_name
              FROM order_items i JOIN orders o ON o.id = i.order_id
              JOIN product_variants v ON v.id = i.variant_id
              WHERE v.product_id <> i.product_id",
    },
    Check {
        name: "money.balance",
        rule: "a customer's balance is the sum of their ledger, and the last row says so",
        sql: "SELECT 'user ' || u.telegram_id || ': balance ' || u.balance || ', ledger ' || coalesce(l.total, 0)
              FROM users u
              LEFT JOIN (SELECT user_id, sum(delta) AS total,
                                (array_agg(balance_after ORDER BY id DESC))[1] AS last
                         FROM balance_ledger GROUP BY user_id) l ON l.user_id = u.id
              WHERE u.balance <> coalesce(l.total, 0) OR u.balance <> coalesce(l.last, 0)",
    },
    Check {
        name: "money.balance_orders",
        rule: "an order paid from the balance has one purchase debit of its total",
        sql: "SELECT o.public_id || ': debits ' || count(l.id) || ' totalling ' || coalesce(-sum(l.delta), 0)
              FROM orders o LEFT JOIN balance_ledger l ON l.order_id = o.id AND l.reason = 'purchase'
              WHERE o.payment_method = 'balance' AND o.total > 0
              GROUP BY o.id HAVING count(l.id) <> 1 OR -sum(l.delta) <> o.total",
    },
    Check {
        name: "money.deposits",
        rule: "a paid deposit is credited once, for its amount",
        sql: "SELECT d.public_id || ': credits ' || count(l.id)
              FROM deposits d LEFT JOIN balance_ledger l ON l.deposit_id = d.id AND l.reason = 'deposit'
              WHERE d.status = 'paid'
              GROUP BY d.id HAVING count(l.id) <> 1 OR sum(l.delta) <> d.amount",
    },
    Check {
        name: "orders.undelivered",
        rule: "a paid order is delivered within minutes",
        sql: "SELECT public_id || ' paid at ' || paid_at FROM orders
              WHERE status = 'paid' AND paid_at < now() - make_interval(mins => 10)",
    },
    Check {
        name: "orders.without_invoice",
        rule: "a QRIS order awaiting payment has an invoice being made or open",
        sql: "SELECT o.public_id FROM orders o
              WHERE o.status = 'awaiting_payment' AND o.payment_method = 'qris'
                AND o.created_at < now() - make_interval(mins => 10)
                AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.id AND i.status IN ('creating', 'open'))",
    },
    Check {
        name: "orders.overdue",
        rule: "an unpaid order past its expiry is closed",
        sql: "SELECT public_id || ' expired at ' || expires_at FROM orders
              WHERE status = 'awaiting_payment' AND expires_at < now() - make_interval(mins => 10)",
    },
    Check {
        name: "payments.unhandled",
        rule: "a received payment notice is judged within minutes",
        sql: "SELECT 'event ' || id || ' (' || coalesce(order_ref, '?') || ')' FROM payment_events
              WHERE verdict = 'received' AND received_at < now() - make_interval(mins => 10)",
    },
    Check {
        name: "jobs.stuck",
        rule: "no job waits past its time for long, and none runs on a worker that stopped beating",
        sql: "SELECT j.id || ' ' || coalesce(convert_from(j.job, 'UTF8')::jsonb->>'kind', '?') || ' ' ||
                     job_state(j.status, j.run_at, j.attempts, j.max_attempts)
              FROM apalis.jobs j LEFT JOIN apalis.workers w ON w.id = j.lock_by
              WHERE (j.status = 'Pending' AND j.run_at < now() - make_interval(mins => 10))
                 OR (j.status IN ('Queued', 'Running')
                     AND (w.id IS NULL OR w.last_seen < now() - make_interval(mins => 10)))",
    },
];

/// Every check that found something (an empty list: the shop is consistent).
pub async fn run(pool: &PgPool) -> Result<Vec<Finding>, sqlx::Error> {
    let mut findings = Vec::new();
    for check in &CHECKS {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(check.sql))
            .fetch_all(pool)
            .await?;
        if !rows.is_empty() {
            findings.push(Finding {
                check: check.name,
                rule: check.rule,
                count: i64::try_from(rows.len()).unwrap_or(i64::MAX),
                examples: rows.into_iter().take(10).collect(),
            });
        }
    }
    Ok(findings)
}

/// The checks by name and rule, for the report's "all clear" lines.
pub fn checks() -> impl Iterator<Item = (&'static str, &'static str)> {
    CHECKS.iter().map(|c| (c.name, c.rule))
}
