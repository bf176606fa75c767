//! The dashboard's page for what comes in from outside and what Telegram holds back: the
//! latest payment notices with their verdicts (the staff's folded alert about rejected ones
//! links here), and Telegram's flood control as the workers share it (the bot's hold, chats
//! held now, 429s in the last day).

use std::fmt::Write;

use workers::ui::texts::DashText as D;

use super::pages::{View, esc, head};

/// How much of an order reference or a note from outside is shown.
const REF_MAX: usize = 64;

fn cut(text: &str) -> String {
    workers::ui::html::cut(text, REF_MAX)
}

pub async fn page(view: &View<'_>) -> Result<String, sqlx::Error> {
    let (pool, zone, t) = (view.pool, view.zone, view.t);
    let mut out = String::new();
    let flood = sqlx::query!(
        r#"SELECT
             coalesce((SELECT extract(epoch FROM blocked_until - now()) FROM telegram_pace
                       WHERE chat_id = 0 AND blocked_until > now()), 0)::float8 AS "bot_held!",
             (SELECT count(*) FROM telegram_pace WHERE chat_id <> 0 AND blocked_until > now()) AS "chats_held!",
             (SELECT coalesce(sum(floods), 0) FROM telegram_pace
              WHERE last_flood_at > now() - interval '1 day')::bigint AS "floods_day!""#
    )
    .fetch_one(pool)
    .await?;
    let _ = write!(out, "<h2>{}</h2><div class=\"cards\">", t.get(D::Flood));
    for (label, value, id) in [
        (D::BotHeld, format!("{:.0} s", flood.bot_held), "bot-held"),
        (D::ChatsHeld, flood.chats_held.to_string(), "chats-held"),
        (D::Floods, flood.floods_day.to_string(), "floods-day"),
    ] {
        let _ = write!(
            out,
            "<div class=\"card\" id=\"{id}\"><b>{}</b>{}</div>",
            esc(&value),
            t.get(label)
        );
    }
    out.push_str("</div>");
    let held = sqlx::query!(
        r#"SELECT chat_id, extract(epoch FROM blocked_until - now())::float8 AS "left!", floods
           FROM telegram_pace WHERE chat_id <> 0 AND blocked_until > now()
           ORDER BY blocked_until DESC LIMIT 20"#
    )
    .fetch_all(pool)
    .await?;
    if !held.is_empty() {
        let _ = write!(out, "<table>{}", head(t, D::HeldColumns));
        for chat in &held {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{:.0} s</td><td>{}</td></tr>",
                chat.chat_id, chat.left, chat.floods
            );
        }
        out.push_str("</table>");
    }
    let events = sqlx::query!(
        r#"SELECT received_at, order_ref, amount, verdict, note, remote_addr
           FROM payment_events ORDER BY id DESC LIMIT 50"#
    )
    .fetch_all(pool)
    .await?;
    let _ = write!(
        out,
        "<h2>{}</h2><p>{}</p><table>{}",
        t.get(D::Notices),
        t.get(D::NoticesHelp),
        head(t, D::NoticeColumns)
    );
    for event in &events {
        let class = match event.verdict.as_str() {
            "rejected" | "malformed" => " class=\"bad\"",
            "accepted" => " class=\"ok\"",
            _ => "",
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td{class}>{}</td><td>{}</td><td>{}</td></tr>",
            super::pages::when(event.received_at, zone),
            esc(&cut(event.order_ref.as_deref().unwrap_or("—"))),
            event.amount.map(|a| a.to_string()).unwrap_or_default(),
            esc(&event.verdict),
            esc(&cut(event.note.as_deref().unwrap_or(""))),
            esc(event.remote_addr.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</table>");
    Ok(out)
}
