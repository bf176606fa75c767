//! Customers: found by Telegram id or @username; details with orders, balance and ledger;
//! block and unblock; balance adjusted with a reason (a ledger row, never below zero).

use serde_json::json;
use sqlx::PgConnection;

use super::callback::{MenuPress, OrderPress, PricePress};
use super::{Admin, Change, ask, back, button, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::payments::expiry;
use crate::shop::ids::OrderId;
use crate::shop::ids::UserId;
use crate::shop::status::OrderStatus;
use crate::telegram::push;
use crate::ui::Outgoing;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::order::status_text;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{Locale, PriceText as P, SalesText as S, Text, Texts};

/// What the bot waits for from an admin in a customer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum UserStep {
    FindUser,
    AdjustBalance { user_id: UserId },
}

callbacks! {
    /// An admin's press on customers.
    pub enum UserPress = "a:" {
        FindUser = "uf",
        User { id: UserId } = "u",
        Block { id: UserId, blocked: bool } = "ub",
        AdjustBalance { id: UserId } = "ua",
    }
}

impl Checked for UserPress {}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: UserPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        UserPress::FindUser => {
            let question = t.get(S::FindPrompt);
            return wait_for(tx, admin, UserStep::FindUser, question, settings).await;
        }
        UserPress::User { id } => Reply::edit(detail(tx, t, id, settings).await?),
        UserPress::Block { id, blocked } => {
            let changed = sqlx::query_scalar!(
                r#"UPDATE users SET is_blocked = $2, blocked_notified_at = NULL, updated_at = now()
                   WHERE id = $1 AND is_blocked <> $2 RETURNING telegram_id"#,
                id.get(),
                blocked
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(telegram_id) = changed {
                let change = Change::of(
                    if blocked {
                        "user.block"
                    } else {
                        "user.unblock"
                    },
                    "user",
                    telegram_id,
                )
                .before(json!({ "is_blocked": !blocked }))
                .after(json!({ "is_blocked": blocked }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(detail(tx, t, id, settings).await?)
        }
        UserPress::AdjustBalance { id } => {
            let step = UserStep::AdjustBalance { user_id: id };
            return wait_for(tx, admin, step, t.get(S::AdjustPrompt), settings).await;
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
    let t = &admin.t;
    match step {
        UserStep::FindUser => {
            let query = text.trim();
            let id = match find_customer(tx, query).await? {
                Lookup::Found(id) => id,
                Lookup::NotAnId => return Ok(vec![ask(t, t.get(S::NotAnId))]),
                Lookup::Nobody => {
                    return Ok(vec![ask(
                        t,
                        t.render(S::NoSuchCustomer, &[("query", &escape(query))]),
                    )]);
                }
            };
            conversation::clear(tx, admin.chat).await?;
            let screen = detail(tx, t, id, settings).await?;
            Ok(vec![message(screen)])
        }
        UserStep::AdjustBalance { user_id } => {
            let Some((delta, reason)) = parse_adjustment(text) else {
                return Ok(vec![ask(t, t.get(S::BadAdjustment))]);
            };
            let adjusted = sqlx::query!(
                r#"UPDATE users SET balance = balance + $2, updated_at = now()
                   WHERE id = $1 AND balance + $2 >= 0
                   RETURNING balance, telegram_id, locale"#,
                user_id.get(),
                delta
            )
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = adjusted else {
                return Ok(vec![ask(t, t.get(S::BelowZero))]);
            };
            sqlx::query!(
                r#"INSERT INTO balance_ledger (user_id, delta, balance_after, reason, actor, note)
                   VALUES ($1, $2, $3, 'adjustment', $4, $5)"#,
                user_id.get(),
                delta,
                row.balance,
                admin.actor(),
                reason
            )
            .execute(&mut *tx)
            .await?;
            let change = Change::of("user.balance_adjust", "user", row.telegram_id)
                .before(json!({ "balance": row.balance - delta }))
                .after(json!({ "balance": row.balance, "delta": delta, "reason": reason }));
            admin.audit(tx, change).await?;
            let locale = Locale::parse(&row.locale).unwrap_or_default();
            let notice = Texts::load(tx, locale).await?.render(
                Text::BalanceAdjusted,
                &[
                    ("delta", &signed(delta)),
                    ("balance", &rupiah(row.balance)),
                    ("reason", &escape(&reason)),
                ],
            );
            push(tx, row.telegram_id, vec![Outgoing::text(notice)]).await?;
            conversation::clear(tx, admin.chat).await?;
            let screen = detail(tx, t, user_id, settings).await?;
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

/// Who an admin means by a Telegram id or an @username.
pub(super) enum Lookup {
    Found(UserId),
    NotAnId,
    Nobody,
}

pub(super) async fn find_customer(tx: &mut PgConnection, query: &str) -> Result<Lookup, JobError> {
    let query = query.trim();
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
                sqlx::query_scalar!("SELECT id FROM users WHERE telegram_id = $1", telegram_id)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            Err(_) => return Ok(Lookup::NotAnId),
        },
    };
    Ok(found.map_or(Lookup::Nobody, |id| Lookup::Found(UserId(id))))
}

async fn detail(
    tx: &mut PgConnection,
    t: &Texts,
    id: UserId,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let user = sqlx::query!(
        r#"SELECT telegram_id, username, first_name, display_name, balance, is_blocked,
                  unreachable_at, created_at, last_seen_at,
                  (SELECT name FROM price_groups WHERE id = users.price_group_id) AS price_group,
                  (SELECT count(*) FROM orders WHERE user_id = users.id) AS "orders!",
                  (SELECT coalesce(sum(total), 0) FROM orders
                   WHERE user_id = users.id AND status IN ('paid', 'delivered'))::bigint AS "spent!"
           FROM users WHERE id = $1"#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else {
        return Ok(Screen {
            text: t.get(S::CustomerGone).to_owned(),
            buttons: vec![back(t, MenuPress::Home)],
        });
    };
    let zone = settings.timezone;
    let orders = sqlx::query!(
        r#"SELECT id, public_id, status AS "status: OrderStatus", total FROM orders WHERE user_id = $1 ORDER BY id DESC LIMIT 5"#,
        id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    let ledger = sqlx::query!(
        "SELECT delta, balance_after, reason, created_at FROM balance_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 5",
        id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    let ledger_lines: Vec<String> = ledger
        .iter()
        .map(|l| {
            t.render(
                S::LedgerLine,
                &[
                    ("at", &expiry(l.created_at, zone)),
                    ("delta", &signed(l.delta)),
                    ("balance", &rupiah(l.balance_after)),
                    ("reason", &escape(&l.reason)),
                ],
            )
        })
        .collect();
    let text = t.render(
        S::UserDetail,
        &[
            (
                "name",
                &escape(user.display_name.as_deref().unwrap_or(&user.first_name)),
            ),
            (
                "username",
                &user
                    .username
                    .as_deref()
                    .map(|u| format!(" @{}", escape(u)))
                    .unwrap_or_default(),
            ),
            ("telegram_id", &user.telegram_id.to_string()),
            ("balance", &rupiah(user.balance)),
            ("orders", &user.orders.to_string()),
            ("spent", &rupiah(user.spent)),
            ("joined", &expiry(user.created_at, zone)),
            ("seen", &expiry(user.last_seen_at, zone)),
            (
                "status",
                t.get(if user.is_blocked {
                    S::Blocked
                } else {
                    S::Active
                }),
            ),
            (
                "unreachable",
                if user.unreachable_at.is_some() {
                    t.get(S::Unreachable)
                } else {
                    ""
                },
            ),
            (
                "ledger",
                &if ledger_lines.is_empty() {
                    "—".to_owned()
                } else {
                    ledger_lines.join("\n")
                },
            ),
        ],
    );
    let mut buttons: Vec<Vec<_>> = orders
        .iter()
        .map(|o| {
            let label = t.render(
                S::OrderButton,
                &[
                    ("id", &o.public_id),
                    ("status", &status_text(t, o.status)),
                    ("total", &rupiah(o.total)),
                ],
            );
            vec![button(label, OrderPress::Order { id: OrderId(o.id) })]
        })
        .collect();
    let blocked = user.is_blocked;
    buttons.push(vec![
        button(
            t.get(if blocked { S::Unblock } else { S::Block }),
            UserPress::Block {
                id,
                blocked: !blocked,
            },
        ),
        button(t.get(S::AdjustButton), UserPress::AdjustBalance { id }),
    ]);
    buttons.push(vec![
        button(
            t.get(S::AllOrders),
            OrderPress::Orders {
                filter: super::callback::OrderFilter::All,
                days: 0,
                user: Some(id),
                page: 0,
            },
        ),
        button(t.get(S::FindAnother), UserPress::FindUser),
    ]);
    let group = user
        .price_group
        .unwrap_or_else(|| t.get(P::NormalPrices).to_owned());
    buttons.push(vec![button(
        t.render(P::UserGroupButton, &[("group", &group)]),
        PricePress::UserGroup { user: id },
    )]);
    buttons.push(back(t, MenuPress::Home));
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
