//! Customers: found by Telegram id or @username; details with orders, balance and ledger;
//! block and unblock; balance adjusted with a reason (a ledger row, never below zero).

use serde_json::json;
use sqlx::PgConnection;

use super::callback::{MenuPress, OrderPress};
use super::{Admin, ask, audit, back, button, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::payments::expiry;
use crate::telegram::push;
use crate::ui::Outgoing;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{Locale, Text, Texts};

/// What the bot waits for from an admin in a customer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum UserStep {
    FindUser,
    AdjustBalance { user_id: i64 },
}

callbacks! {
    /// An admin's press on customers.
    pub enum UserPress = "a:" {
        FindUser = "uf",
        User { id: i64 } = "u",
        Block { id: i64, blocked: bool } = "ub",
        AdjustBalance { id: i64 } = "ua",
    }
}

impl Checked for UserPress {}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: UserPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        UserPress::FindUser => {
            return wait_for(
                tx,
                admin,
                UserStep::FindUser,
                "👥 Send a customer's Telegram id (e.g. <code>123456789</code>) or @username.",
                settings,
            )
            .await;
        }
        UserPress::User { id } => Reply::edit(detail(tx, id, settings).await?),
        UserPress::Block { id, blocked } => {
            let changed = sqlx::query_scalar!(
                r#"UPDATE users SET is_blocked = $2, blocked_notified_at = NULL, updated_at = now()
                   WHERE id = $1 AND is_blocked <> $2 RETURNING telegram_id"#,
                id,
                blocked
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(telegram_id) = changed {
                audit(
                    tx,
                    &admin.actor(),
                    if blocked {
                        "user.block"
                    } else {
                        "user.unblock"
                    },
                    ("user", Some(telegram_id.to_string())),
                    Some(json!({ "is_blocked": !blocked })),
                    Some(json!({ "is_blocked": blocked })),
                )
                .await?;
            }
            Reply::edit(detail(tx, id, settings).await?)
        }
        UserPress::AdjustBalance { id } => {
            return wait_for(
                tx,
                admin,
                UserStep::AdjustBalance { user_id: id },
                "💰 Send the change and the reason, e.g. <code>+50000 bonus</code> or \
                 <code>-10000 correction</code>. A balance never goes below zero.",
                settings,
            )
            .await;
        }
    })
}

pub(super) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: UserStep,
    text: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    match step {
        UserStep::FindUser => {
            let query = text.trim();
            let found = match query.strip_prefix('@') {
                Some(name) => {
                    sqlx::query_scalar!(
                        "SELECT id FROM users WHERE lower(username) = lower($1)",
                        name
                    )
                    .fetch_optional(&mut *tx)
                    .await?
                }
                None => match query.parse::<i64>() {
                    Ok(telegram_id) => {
                        sqlx::query_scalar!(
                            "SELECT id FROM users WHERE telegram_id = $1",
                            telegram_id
                        )
                        .fetch_optional(&mut *tx)
                        .await?
                    }
                    Err(_) => {
                        return Ok(vec![ask("Send a Telegram id (digits) or an @username.")]);
                    }
                },
            };
            let Some(id) = found else {
                return Ok(vec![ask(format!(
                    "No customer {} has used the bot. Send another id or @username.",
                    escape(query)
                ))]);
            };
            conversation::clear(tx, admin.chat).await?;
            let screen = detail(tx, id, settings).await?;
            Ok(vec![message(screen)])
        }
        UserStep::AdjustBalance { user_id } => {
            let Some((delta, reason)) = parse_adjustment(text) else {
                return Ok(vec![ask(
                    "Send a signed amount and a reason, e.g. <code>+50000 bonus</code>.",
                )]);
            };
            let adjusted = sqlx::query!(
                r#"UPDATE users SET balance = balance + $2, updated_at = now()
                   WHERE id = $1 AND balance + $2 >= 0
                   RETURNING balance, telegram_id, locale"#,
                user_id,
                delta
            )
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = adjusted else {
                return Ok(vec![ask(
                    "That would take the balance below zero (or the customer is gone). Send another amount.",
                )]);
            };
            sqlx::query!(
                r#"INSERT INTO balance_ledger (user_id, delta, balance_after, reason, actor, note)
                   VALUES ($1, $2, $3, 'adjustment', $4, $5)"#,
                user_id,
                delta,
                row.balance,
                admin.actor(),
                reason
            )
            .execute(&mut *tx)
            .await?;
            audit(
                tx,
                &admin.actor(),
                "user.balance_adjust",
                ("user", Some(row.telegram_id.to_string())),
                Some(json!({ "balance": row.balance - delta })),
                Some(json!({ "balance": row.balance, "delta": delta, "reason": reason })),
            )
            .await?;
            let locale = Locale::parse(&row.locale).unwrap_or_default();
            let t = Texts::load(tx, locale).await?;
            let notice = t.render(
                Text::BalanceAdjusted,
                &[
                    ("delta", &signed(delta)),
                    ("balance", &rupiah(row.balance)),
                    ("reason", &escape(&reason)),
                ],
            );
            push(tx, row.telegram_id, vec![Outgoing::text(notice)]).await?;
            conversation::clear(tx, admin.chat).await?;
            let screen = detail(tx, user_id, settings).await?;
            Ok(vec![message(screen)])
        }
    }
}

fn signed(delta: i64) -> String {
    if delta >= 0 {
        format!("+{}", rupiah(delta))
    } else {
        rupiah(delta)
    }
}

/// `+50000 bonus`, `-10.000 correction`: the change and a reason (required).
fn parse_adjustment(text: &str) -> Option<(i64, String)> {
    let text = text.trim();
    let (amount, reason) = text.split_once(char::is_whitespace)?;
    let (sign, digits) = match amount.chars().next()? {
        '+' => (1, &amount[1..]),
        '-' => (-1, &amount[1..]),
        _ => (1, amount),
    };
    let value =
        crate::shop::money::amount(digits).filter(|v| (1..=1_000_000_000_000).contains(v))?;
    let reason: String = reason.trim().chars().take(200).collect();
    (!reason.is_empty()).then_some((sign * value, reason))
}

async fn detail(
    tx: &mut PgConnection,
    id: i64,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let user = sqlx::query!(
        r#"SELECT telegram_id, username, first_name, display_name, balance, is_blocked,
                  unreachable_at, created_at, last_seen_at,
                  (SELECT count(*) FROM orders WHERE user_id = users.id) AS "orders!",
                  (SELECT coalesce(sum(total), 0) FROM orders
                   WHERE user_id = users.id AND status IN ('paid', 'delivered'))::bigint AS "spent!"
           FROM users WHERE id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else {
        return Ok(Screen {
            text: "That customer does not exist.".to_owned(),
            buttons: vec![back(MenuPress::Home)],
        });
    };
    let zone = settings.timezone;
    let orders = sqlx::query!(
        "SELECT id, public_id, status, total FROM orders WHERE user_id = $1 ORDER BY id DESC LIMIT 5",
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let ledger = sqlx::query!(
        "SELECT delta, balance_after, reason, created_at FROM balance_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 5",
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let ledger_lines: Vec<String> = ledger
        .iter()
        .map(|l| {
            format!(
                "• {} {} → {} ({})",
                expiry(l.created_at, zone),
                signed(l.delta),
                rupiah(l.balance_after),
                l.reason
            )
        })
        .collect();
    let text = format!(
        "👤 <b>{}</b>{} (<code>{}</code>)\nBalance: <b>{}</b> · orders {} · spent {}\nJoined {} · last seen {}\nStatus: {}{}\n\n<b>Ledger</b> (latest 5):\n{}",
        escape(user.display_name.as_deref().unwrap_or(&user.first_name)),
        user.username
            .as_deref()
            .map(|u| format!(" @{}", escape(u)))
            .unwrap_or_default(),
        user.telegram_id,
        rupiah(user.balance),
        user.orders,
        rupiah(user.spent),
        expiry(user.created_at, zone),
        expiry(user.last_seen_at, zone),
        if user.is_blocked {
            "🚫 blocked"
        } else {
            "✅ active"
        },
        if user.unreachable_at.is_some() {
            " · unreachable (blocked the bot)"
        } else {
            ""
        },
        if ledger_lines.is_empty() {
            "—".to_owned()
        } else {
            ledger_lines.join("\n")
        },
    );
    let mut buttons: Vec<Vec<_>> = orders
        .iter()
        .map(|o| {
            vec![button(
                format!("🧾 {} · {} · {}", o.public_id, o.status, rupiah(o.total)),
                OrderPress::Order { id: o.id },
            )]
        })
        .collect();
    buttons.push(vec![
        if user.is_blocked {
            button("✅ Unblock", UserPress::Block { id, blocked: false })
        } else {
            button("🚫 Block", UserPress::Block { id, blocked: true })
        },
        button("💰 Adjust balance", UserPress::AdjustBalance { id }),
    ]);
    buttons.push(vec![
        button(
            "🧾 All their orders",
            OrderPress::Orders {
                filter: super::callback::OrderFilter::All,
                days: 0,
                user: Some(id),
                page: 0,
            },
        ),
        button("🔎 Find another", UserPress::FindUser),
    ]);
    buttons.push(back(MenuPress::Home));
    Ok(Screen { text, buttons })
}

#[cfg(test)]
mod tests {
    use super::parse_adjustment;

    #[test]
    fn adjustments_need_a_signed_amount_and_a_reason() {
        assert_eq!(
            parse_adjustment("+50000 bonus"),
            Some((50_000, "bonus".to_owned()))
        );
        assert_eq!(
            parse_adjustment("-10.000 wrong top-up"),
            Some((-10_000, "wrong top-up".to_owned()))
        );
        assert_eq!(
            parse_adjustment("5000 gift"),
            Some((5_000, "gift".to_owned()))
        );
        assert_eq!(parse_adjustment("+50000"), None);
        assert_eq!(parse_adjustment("+0 nothing"), None);
        assert_eq!(parse_adjustment("lots of money"), None);
    }
}
