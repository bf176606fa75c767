//! The dashboard's pages as HTML strings: one layout, small tables, inline SVG bar charts.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use jobs::admin::{self as queue, JobFilter, JobState};
use salvo::Request;
use serde_json::json;
use sqlx::PgPool;
use workers::shop::status::OrderStatus;
use workers::ui::order::status_text;
use workers::ui::texts::{DashText as D, Texts};

use super::auth::Session;

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Overview,
    Jobs,
    Job,
    Orders,
    Products,
    Audit,
    Notices,
}

/// Escape for HTML text and attribute values: Telegram's escaping plus the quotes.
pub fn esc(text: &str) -> String {
    workers::ui::html::escape(text)
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn rupiah(amount: i64) -> String {
    workers::ui::screen::rupiah(amount)
}

/// One `<option>` of a filter, marked when it is the one in use.
fn option(value: &str, selected: bool) -> String {
    let selected = if selected { " selected" } else { "" };
    format!("<option{selected}>{}</option>", esc(value))
}

/// A table's header row from its column heads (one text, `|` between them).
pub fn head(t: &Texts, columns: D) -> String {
    let cells: String = t
        .get(columns)
        .split('|')
        .map(|c| format!("<th>{c}</th>"))
        .collect();
    format!("<tr>{cells}</tr>")
}

/// A moment in the shop's time zone, with the zone's abbreviation (`2026-12-01 19:05:00 WIB`).
pub fn when(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#222}
nav{background:#1f2937;padding:.6em 1em}nav a{color:#fff;margin-right:1.2em;text-decoration:none}
main{padding:1em 1.5em;max-width:1100px}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
td,th{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;font-size:.92em;vertical-align:top}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.7em 1em;min-width:10em}
.card b{font-size:1.4em;display:block}.bad{color:#b91c1c}.ok{color:#15803d}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em}
button{padding:.3em .8em;margin-right:.5em}";

pub fn layout(t: &Texts, title: &str, session: Option<&Session>, body: &str) -> String {
    let nav = match session {
        Some(session) => {
            let links: String = [
                ("/dashboard", D::NavOverview),
                ("/dashboard/jobs", D::NavJobs),
                ("/dashboard/jobs?state=failed", D::NavFailed),
                ("/dashboard/orders", D::NavOrders),
                ("/dashboard/products", D::NavProducts),
                ("/dashboard/payments", D::NavNotices),
                ("/dashboard/audit", D::NavAudit),
            ]
            .into_iter()
            .map(|(href, text)| format!("<a href=\"{href}\">{}</a>", t.get(text)))
            .collect();
            format!(
                "<nav>{links}<form method=\"post\" action=\"/dashboard/logout\" style=\"display:inline\">\
                 <button>{}</button></form></nav>",
                t.render(D::SignOut, &[("actor", &esc(&session.actor))])
            )
        }
        None => "<nav><a href=\"/dashboard\">bot-auto-order</a></nav>".to_owned(),
    };
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} · bot-auto-order</title>\
         <meta name=\"viewport\" content=\"width=device-width\"><style>{STYLE}</style></head>\
         <body>{nav}<main><h1>{}</h1>{body}</main></body></html>",
        t.locale().as_str(),
        esc(title),
        esc(title)
    )
}

pub fn login(t: &Texts, problem: Option<D>) -> String {
    let problem = problem
        .map(|p| format!("<p class=\"bad\" id=\"problem\">{}</p>", t.get(p)))
        .unwrap_or_default();
    layout(
        t,
        t.get(D::SignIn),
        None,
        &format!(
            "{problem}<p>{}</p>\
             <form method=\"post\" action=\"/dashboard/login\"><input type=\"password\" name=\"token\" \
             placeholder=\"DASHBOARD_TOKEN\" autocomplete=\"off\"> <button>{}</button></form>",
            t.get(D::SignInHelp),
            t.get(D::SignIn)
        ),
    )
}

/// A bar chart of `(label, value)` as inline SVG.
/// A scale value as people read it: `35.000`, `1,5 jt`, `12`.
fn axis_value(value: f64) -> String {
    if value >= 1_000_000.0 {
        format!("{:.1} jt", value / 1_000_000.0).replace('.', ",")
    } else {
        // Whole numbers: the chart's scale is never fractional below a million.
        let whole = value.round() as i64;
        rupiah(whole).trim_start_matches("Rp ").to_owned()
    }
}

fn bars(title: &str, points: &[(String, f64)], unit: &str) -> String {
    let max = points.iter().map(|p| p.1).fold(0.0_f64, f64::max).max(1.0);
    let width = 640.0;
    let height = 140.0;
    let step = width / points.len().max(1) as f64;
    let mut svg = format!(
        "<h3>{}</h3><svg role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{}\" \
         viewBox=\"0 0 {width} {}\" style=\"border:1px solid #eee\">",
        esc(title),
        esc(title),
        height + 20.0,
        height + 20.0
    );
    for (i, (label, value)) in points.iter().enumerate() {
        let h = value / max * height;
        let x = i as f64 * step;
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#2563eb\">\
             <title>{}: {value} {}</title></rect>",
            x + 1.0,
            height - h,
            (step - 2.0).max(1.0),
            esc(label),
            esc(unit)
        );
    }
    for (value, y) in [(max, 0.0), (max / 2.0, height / 2.0)] {
        let _ = write!(
            svg,
            "<line x1=\"0\" y1=\"{y:.1}\" x2=\"{width}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <text class=\"axis\" x=\"2\" y=\"{:.1}\" font-size=\"11\">{} {}</text>",
            y + 11.0,
            axis_value(value),
            esc(unit)
        );
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let _ = write!(
            svg,
            "<text x=\"2\" y=\"{}\" font-size=\"11\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" \
             text-anchor=\"end\">{}</text>",
            height + 15.0,
            esc(&first.0),
            width - 2.0,
            height + 15.0,
            esc(&last.0)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// What every page reads: the pool, the shop's zone, the signed-in admin's texts.
pub struct View<'a> {
    pub pool: &'a PgPool,
    pub zone: Tz,
    pub t: &'a Texts,
}

pub async fn render(
    view: &View<'_>,
    kind: Kind,
    req: &Request,
    session: &Session,
) -> Result<Option<String>, sqlx::Error> {
    let t = view.t;
    let (title, body) = match kind {
        Kind::Overview => (D::TitleOverview, overview(view).await?),
        Kind::Jobs => {
            let state = req.query::<String>("state").unwrap_or_default();
            let queue_name = req.query::<String>("queue").unwrap_or_default();
            (
                D::TitleJobs,
                jobs(view, session, &state, &queue_name).await?,
            )
        }
        Kind::Job => {
            let id: String = req.param("id").unwrap_or_default();
            match job(view, session, &id).await? {
                Some(body) => (D::TitleJob, body),
                None => return Ok(None),
            }
        }
        Kind::Orders => {
            let status = req.query::<String>("status").unwrap_or_default();
            (D::TitleOrders, orders(view, &status).await?)
        }
        Kind::Products => (D::TitleProducts, products(view).await?),
        Kind::Audit => (D::TitleAudit, audit(view).await?),
        Kind::Notices => (D::TitleNotices, super::notices::page(view).await?),
    };
    Ok(Some(layout(t, t.get(title), Some(session), &body)))
}

fn queue_error(error: jobs::QueueError) -> sqlx::Error {
    match error {
        jobs::QueueError::Database(error) => error,
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

async fn overview(view: &View<'_>) -> Result<String, sqlx::Error> {
    let (pool, zone, t) = (view.pool, view.zone, view.t);
    let numbers = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM orders WHERE created_at > now() - interval '1 day') AS "orders_day!",
             (SELECT count(*) FROM orders) AS "orders!",
             (SELECT coalesce(sum(total), 0) FROM orders WHERE paid_at > now() - interval '1 day')::bigint AS "revenue_day!",
             (SELECT coalesce(sum(total), 0) FROM orders WHERE paid_at IS NOT NULL)::bigint AS "revenue!",
             (SELECT count(*) FROM product_contents WHERE state = 'available') AS "stock!",
             (SELECT count(*) FROM users) AS "customers!""#
    )
    .fetch_one(pool)
    .await?;
    let stats = queue::stats(pool).await.map_err(queue_error)?;
    let failed: i64 = stats.iter().map(|s| s.failed).sum();
    let depth: i64 = stats.iter().map(|s| s.pending + s.retrying).sum();
    let mut out = String::from("<div class=\"cards\">");
    for (label, value, id) in [
        (
            D::CardOrdersDay,
            numbers.orders_day.to_string(),
            "orders-day",
        ),
        (D::CardOrders, numbers.orders.to_string(), "orders"),
        (
            D::CardRevenueDay,
            rupiah(numbers.revenue_day),
            "revenue-day",
        ),
        (D::CardRevenue, rupiah(numbers.revenue), "revenue"),
        (D::CardStock, numbers.stock.to_string(), "stock"),
        (D::CardCustomers, numbers.customers.to_string(), "customers"),
        (D::CardDepth, depth.to_string(), "depth"),
        (D::CardFailed, failed.to_string(), "failed"),
    ] {
        let _ = write!(
            out,
            "<div class=\"card\" id=\"{id}\"><b>{}</b>{}</div>",
            esc(&value),
            t.get(label)
        );
    }
    let _ = write!(
        out,
        "</div><h2>{}</h2><table>{}",
        t.get(D::Queues),
        head(t, D::QueueColumns)
    );
    for s in &stats {
        let _ = write!(
            out,
            "<tr><td><a href=\"/dashboard/jobs?queue={q}\">{q}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/dashboard/jobs?queue={q}&amp;state=failed\">{}</a></td><td>{}</td><td>{}</td></tr>",
            s.pending,
            s.scheduled,
            s.running,
            s.retrying,
            s.failed,
            s.done,
            s.oldest_pending_secs
                .map(|a| format!("{a:.0} s"))
                .unwrap_or_else(|| "—".to_owned()),
            q = esc(&s.queue),
        );
    }
    out.push_str("</table>");
    let revenue = sqlx::query!(
        r#"SELECT to_char(d, 'MM-DD') AS "day!",
                  coalesce((SELECT sum(total) FROM orders
                            WHERE paid_at >= d AT TIME ZONE $1
                              AND paid_at < (d + interval '1 day') AT TIME ZONE $1), 0)::float8 AS "amount!"
           FROM generate_series(date_trunc('day', now() AT TIME ZONE $1) - interval '13 days',
                                date_trunc('day', now() AT TIME ZONE $1), interval '1 day') d
           ORDER BY d"#,
        zone.name()
    )
    .fetch_all(pool)
    .await?;
    let points: Vec<(String, f64)> = revenue.into_iter().map(|r| (r.day, r.amount)).collect();
    let title = t.render(D::RevenueChart, &[("zone", zone.name())]);
    out.push_str(&bars(&title, &points, "Rp"));
    let per_minute = sqlx::query!(
        r#"SELECT to_char(m AT TIME ZONE $1, 'HH24:MI') AS "minute!",
                  (SELECT count(*) FROM apalis.jobs
                   WHERE done_at >= m AND done_at < m + interval '1 minute')::float8 AS "jobs!"
           FROM generate_series(date_trunc('minute', now()) - interval '59 minutes', date_trunc('minute', now()), interval '1 minute') m
           ORDER BY m"#,
        zone.name()
    )
    .fetch_all(pool)
    .await?;
    let points: Vec<(String, f64)> = per_minute.into_iter().map(|r| (r.minute, r.jobs)).collect();
    let title = t.render(D::JobsChart, &[("zone", zone.name())]);
    out.push_str(&bars(&title, &points, t.get(D::JobsUnit)));
    Ok(out)
}

async fn jobs(
    view: &View<'_>,
    session: &Session,
    state: &str,
    queue_name: &str,
) -> Result<String, sqlx::Error> {
    let state_filter = JobState::ALL.into_iter().find(|s| s.as_str() == state);
    let queue_filter = jobs::Queue::ALL
        .into_iter()
        .find(|q| q.as_str() == queue_name);
    let filter = JobFilter {
        state: state_filter,
        queue: queue_filter,
        kind: None,
        limit: 200,
    };
    let (pool, zone, t) = (view.pool, view.zone, view.t);
    let list = queue::list(pool, &filter).await.map_err(queue_error)?;
    let mut out = format!(
        "<form method=\"get\" action=\"/dashboard/jobs\">{} <select name=\"queue\"><option value=\"\">{}</option>",
        t.get(D::Queue),
        t.get(D::All)
    );
    for q in jobs::Queue::ALL {
        out.push_str(&option(q.as_str(), Some(q) == queue_filter));
    }
    let _ = write!(
        out,
        "</select> {} <select name=\"state\"><option value=\"\">{}</option>",
        t.get(D::State),
        t.get(D::All)
    );
    for s in JobState::ALL {
        out.push_str(&option(s.as_str(), Some(s) == state_filter));
    }
    let _ = write!(
        out,
        "</select> <button>{}</button></form>\
         <form method=\"post\" action=\"/dashboard/jobs/action\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <p>{} <button name=\"action\" value=\"retry\" id=\"retry-selected\">{}</button>\
         <button name=\"action\" value=\"discard\">{}</button></p>\
         <table>{}",
        t.get(D::Filter),
        esc(&session.csrf),
        t.render(D::JobsCount, &[("count", &list.len().to_string())]),
        t.get(D::RetrySelected),
        t.get(D::DiscardSelected),
        head(t, D::JobColumns).replacen("<tr>", "<tr><th></th>", 1)
    );
    for j in &list {
        let _ = write!(
            out,
            "<tr id=\"job-{id}\"><td><input type=\"checkbox\" name=\"id\" value=\"{id}\"></td>\
             <td><a href=\"/dashboard/jobs/{id}\">{id}</a></td><td>{}</td><td>{}</td><td class=\"state\">{}</td><td>{}/{}</td><td>{}</td><td>{}</td></tr>",
            esc(&j.queue),
            esc(j.kind.as_deref().unwrap_or("?")),
            esc(&j.state),
            j.attempts,
            j.max_attempts,
            when(j.run_at, zone),
            esc(&j
                .error
                .clone()
                .unwrap_or_default()
                .chars()
                .take(120)
                .collect::<String>()),
            id = esc(&j.id),
        );
    }
    out.push_str("</table></form>");
    Ok(out)
}

async fn job(view: &View<'_>, session: &Session, id: &str) -> Result<Option<String>, sqlx::Error> {
    let (pool, zone, t) = (view.pool, view.zone, view.t);
    let Some(job) = queue::show(pool, id).await.map_err(queue_error)? else {
        return Ok(None);
    };
    let payload = serde_json::to_string_pretty(&job.payload).unwrap_or_default();
    let result = job
        .last_result
        .as_ref()
        .map(|r| serde_json::to_string_pretty(r).unwrap_or_default())
        .unwrap_or_else(|| "—".to_owned());
    let summary = t.render(
        D::JobSummary,
        &[
            ("queue", &esc(&job.queue)),
            ("state", &format!("<b id=\"state\">{}</b>", esc(&job.state))),
            ("attempts", &job.attempts.to_string()),
            ("max", &job.max_attempts.to_string()),
            ("run_at", &when(job.run_at, zone)),
        ],
    );
    Ok(Some(format!(
        "<p><b>{}</b> <code>{}</code> — {summary}</p>\
         <form method=\"post\" action=\"/dashboard/jobs/action\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <input type=\"hidden\" name=\"id\" value=\"{}\"><button name=\"action\" value=\"retry\" id=\"retry\">{}</button>\
         <button name=\"action\" value=\"discard\" id=\"discard\">{}</button></form>\
         <h2>{}</h2><pre id=\"error\">{}</pre><h2>{}</h2><pre>{}</pre>",
        esc(job.kind.as_deref().unwrap_or("?")),
        esc(&job.id),
        esc(&session.csrf),
        esc(&job.id),
        t.get(D::Retry),
        t.get(D::Discard),
        t.get(D::LastResult),
        esc(&result),
        t.get(D::Payload),
        esc(&payload)
    )))
}

/// Retry or discard `ids`, audited; where to go next.
pub async fn job_action(
    pool: &PgPool,
    session: &Session,
    action: &str,
    ids: &[String],
) -> Result<String, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut done = Vec::new();
    for id in ids {
        let changed = match action {
            "retry" => queue::retry(&mut tx, id).await.map_err(queue_error)?,
            "discard" => queue::discard(&mut tx, id)
                .await
                .map_err(queue_error)?
                .is_some(),
            _ => false,
        };
        if changed {
            done.push(id.clone());
        }
    }
    if !done.is_empty() {
        jobs::enqueue(
            &mut *tx,
            &jobs::catalogue::AuditWrite {
                at: Utc::now(),
                actor: session.actor.clone(),
                action: format!("job.{action}"),
                entity_type: "job".to_owned(),
                entity_id: (done.len() == 1).then(|| done[0].clone()),
                before: None,
                after: Some(json!({ "ids": done })),
            },
        )
        .await
        .map_err(queue_error)?;
    }
    tx.commit().await?;
    tracing::info!(actor = %session.actor, action, count = done.len(), "dashboard job action");
    Ok(match (action, ids) {
        ("retry", [one]) => format!("/dashboard/jobs/{one}"),
        _ => "/dashboard/jobs".to_owned(),
    })
}

async fn orders(view: &View<'_>, status: &str) -> Result<String, sqlx::Error> {
    let (pool, zone, t) = (view.pool, view.zone, view.t);
    let status = status.parse::<OrderStatus>().ok();
    let rows = sqlx::query!(
        r#"SELECT o.public_id, o.status AS "status: OrderStatus", o.payment_method, o.total, o.created_at, o.paid_at,
                  coalesce(u.username, u.first_name) AS "customer!"
           FROM orders o JOIN users u ON u.id = o.user_id
           WHERE $1::text IS NULL OR o.status = $1
           ORDER BY o.id DESC LIMIT 100"#,
        status.map(OrderStatus::as_str)
    )
    .fetch_all(pool)
    .await?;
    let mut out = format!(
        "<p>{}: <a href=\"/dashboard/orders\">{}</a>",
        t.get(D::Status),
        t.get(D::All)
    );
    for s in OrderStatus::ALL {
        let _ = write!(
            out,
            " · <a href=\"/dashboard/orders?status={}\">{}</a>",
            s.as_str(),
            esc(&status_text(t, *s))
        );
    }
    let _ = write!(out, "</p><table>{}", head(t, D::OrderColumns));
    for o in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&o.public_id),
            esc(&o.customer),
            esc(&status_text(t, o.status)),
            esc(&o.payment_method),
            rupiah(o.total),
            when(o.created_at, zone),
            o.paid_at
                .map(|at| when(at, zone))
                .unwrap_or_else(|| "—".to_owned())
        );
    }
    out.push_str("</table>");
    Ok(out)
}

async fn products(view: &View<'_>) -> Result<String, sqlx::Error> {
    let (pool, t) = (view.pool, view.t);
    let rows = sqlx::query!(
        r#"SELECT v.code, p.name AS product, v.name, v.price,
                  CASE WHEN p.status = 'archived' THEN p.status ELSE v.status END AS "status!",
                  v.low_stock_threshold,
                  count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
                  count(pc.id) FILTER (WHERE pc.state = 'reserved') AS "reserved!",
                  count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!"
           FROM product_variants v
           JOIN products p ON p.id = v.product_id
           LEFT JOIN product_contents pc ON pc.variant_id = v.id
           GROUP BY v.id, p.id ORDER BY 5, p.name, p.id, v.sort_order, v.id"#
    )
    .fetch_all(pool)
    .await?;
    let mut out = format!("<table>{}", head(t, D::ProductColumns));
    for p in rows {
        let low = p
            .low_stock_threshold
            .is_some_and(|t| p.stock < i64::from(t));
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.code),
            esc(&workers::shop::variant::label(&p.product, &p.name)),
            rupiah(p.price),
            esc(&p.status),
            if low { "bad" } else { "" },
            p.stock,
            p.reserved,
            p.sold
        );
    }
    let _ = write!(out, "</table><p>{}</p>", t.get(D::StockFromBot));
    Ok(out)
}

async fn audit(view: &View<'_>) -> Result<String, sqlx::Error> {
    let (pool, zone, t) = (view.pool, view.zone, view.t);
    let rows = sqlx::query!(
        r#"SELECT at, actor, action, entity_type, entity_id, before, after
           FROM audit_log ORDER BY at DESC, id DESC LIMIT 200"#
    )
    .fetch_all(pool)
    .await?;
    let mut out = format!("<table>{}", head(t, D::AuditColumns));
    for r in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            when(r.at, zone),
            esc(&r.actor),
            esc(&r.action),
            esc(&r.entity_type),
            esc(r.entity_id.as_deref().unwrap_or("")),
            esc(&r.before.map(|v| v.to_string()).unwrap_or_default()),
            esc(&r.after.map(|v| v.to_string()).unwrap_or_default())
        );
    }
    out.push_str("</table>");
    Ok(out)
}
