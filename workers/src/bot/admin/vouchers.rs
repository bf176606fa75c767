//! Vouchers: created from one line (`CODE | 10% | min | uses | per customer | days`), listed
//! with their use, disabled (kept for the orders that used them).

use serde_json::json;
use sqlx::PgConnection;

use super::callback::MenuPress;
use super::{Admin, Change, ask, back, button, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::{BotSettings, Reply};
use crate::payments::expiry;
use crate::shop::ids::VoucherId;
use crate::shop::voucher;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::texts::{SalesText as S, Texts};
use crate::ui::{Keyboard, Outgoing};

/// What the bot waits for from an admin in a new voucher.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum VoucherStep {
    VoucherSpec,
}

callbacks! {
    /// An admin's press on vouchers.
    pub enum VoucherPress = "a:" {
        Vouchers = "vs",
        NewVoucher = "vn",
        DisableVoucher { id: VoucherId } = "vd",
    }
}

impl Checked for VoucherPress {}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: VoucherPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        VoucherPress::Vouchers => Reply::edit(list(tx, t, settings).await?),
        VoucherPress::NewVoucher => {
            let question = t.get(S::VoucherPrompt);
            return wait_for(tx, admin, VoucherStep::VoucherSpec, question, settings).await;
        }
        VoucherPress::DisableVoucher { id } => {
            let disabled = sqlx::query_scalar!(
                "UPDATE vouchers SET is_active = FALSE WHERE id = $1 AND is_active RETURNING code",
                id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(code) = disabled {
                let change = Change::of("voucher.disable", "voucher", code)
                    .before(json!({ "is_active": true }))
                    .after(json!({ "is_active": false }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(list(tx, t, settings).await?)
        }
    })
}

/// A voucher as an admin types it.
#[derive(Debug, PartialEq, Eq)]
struct Spec {
    code: String,
    percent: bool,
    value: i64,
    min_order: i64,
    max_uses: Option<i32>,
    per_user: Option<i32>,
    days: Option<i32>,
}

/// The spec, or what is wrong with it.
fn parse(text: &str) -> Result<Spec, S> {
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    let code = voucher::normalise(parts.first().copied().unwrap_or(""))
        .filter(|c| (3..=32).contains(&c.len()))
        .ok_or(S::BadCode)?;
    let discount = parts.get(1).copied().ok_or(S::NoDiscount)?;
    let (percent, value) = match discount.strip_suffix('%') {
        Some(p) => (
            true,
            p.trim()
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=100).contains(p))
                .ok_or(S::BadPercent)?,
        ),
        None => (
            false,
            crate::shop::money::amount(discount)
                .filter(|v| *v > 0)
                .ok_or(S::BadDiscount)?,
        ),
    };
    let number = |i: usize, what: S| -> Result<Option<i64>, S> {
        match parts.get(i).copied().filter(|s| !s.is_empty() && *s != "-") {
            None => Ok(None),
            Some(s) => crate::shop::money::amount(s).map(Some).ok_or(what),
        }
    };
    let positive = |n: Option<i64>, what| match n {
        None => Ok(None),
        Some(n) => i32::try_from(n)
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or(what),
    };
    Ok(Spec {
        code,
        percent,
        value,
        min_order: number(2, S::BadMinimum)?.unwrap_or(0),
        max_uses: positive(number(3, S::BadUses)?, S::BadUses)?,
        per_user: positive(number(4, S::BadPerUser)?, S::BadPerUser)?,
        days: positive(number(5, S::BadDays)?, S::BadDays)?,
    })
}

pub(super) async fn create(
    tx: &mut PgConnection,
    admin: &Admin,
    text: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let spec = match parse(text) {
        Ok(spec) => spec,
        Err(why) => {
            return Ok(vec![ask(
                t,
                t.render(S::NotAVoucher, &[("why", t.get(why))]),
            )]);
        }
    };
    let created = sqlx::query_scalar!(
        r#"INSERT INTO vouchers (code, kind, value, min_order, max_uses, max_uses_per_user, valid_until, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7::int), $8)
           ON CONFLICT (code) DO NOTHING RETURNING id"#,
        spec.code,
        if spec.percent { "percent" } else { "flat" },
        spec.value,
        spec.min_order,
        spec.max_uses,
        spec.per_user,
        spec.days,
        admin.telegram_id.get(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    if created.is_none() {
        return Ok(vec![ask(
            t,
            t.render(S::VoucherExists, &[("code", &escape(&spec.code))]),
        )]);
    }
    let kind = if spec.percent { "percent" } else { "flat" };
    let change = Change::of("voucher.create", "voucher", &spec.code).after(json!({
        "kind": kind, "value": spec.value, "min_order": spec.min_order,
        "max_uses": spec.max_uses, "max_uses_per_user": spec.per_user, "days": spec.days,
    }));
    admin.audit(tx, change).await?;
    conversation::clear(tx, admin.chat).await?;
    let screen = list(tx, t, settings).await?;
    Ok(vec![Outgoing::text_with(
        t.render(
            S::VoucherCreated,
            &[("code", &escape(&spec.code)), ("list", &screen.text)],
        ),
        Keyboard::Inline(screen.buttons),
    )])
}

async fn list(
    tx: &mut PgConnection,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"SELECT v.id, v.code, v.kind, v.value, v.min_order, v.max_uses, v.valid_until, v.is_active,
                  (SELECT count(*) FROM voucher_redemptions r WHERE r.voucher_id = v.id) AS "used!"
           FROM vouchers v ORDER BY v.is_active DESC, v.id DESC LIMIT 30"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let lines: Vec<String> = rows
        .iter()
        .map(|v| {
            t.render(
                S::VoucherLine,
                &[
                    ("mark", if v.is_active { "🟢" } else { "⚪️" }),
                    ("code", &escape(&v.code)),
                    (
                        "discount",
                        &if v.kind == "percent" {
                            format!("{}%", v.value)
                        } else {
                            rupiah(v.value)
                        },
                    ),
                    ("min", &rupiah(v.min_order)),
                    ("used", &v.used.to_string()),
                    (
                        "max",
                        &v.max_uses.map(|m| format!("/{m}")).unwrap_or_default(),
                    ),
                    (
                        "until",
                        &v.valid_until.map_or_else(
                            || t.get(S::NoEnd).to_owned(),
                            |at| expiry(at, settings.timezone),
                        ),
                    ),
                ],
            )
        })
        .collect();
    let mut buttons: Vec<Vec<_>> = rows
        .iter()
        .filter(|v| v.is_active)
        .map(|v| {
            vec![button(
                t.render(S::DisableButton, &[("code", &v.code)]),
                VoucherPress::DisableVoucher {
                    id: VoucherId(v.id),
                },
            )]
        })
        .collect();
    buttons.push(vec![button(
        t.get(S::NewVoucherButton),
        VoucherPress::NewVoucher,
    )]);
    buttons.push(back(t, MenuPress::Home));
    let lines = if lines.is_empty() {
        t.get(S::NoneYet).to_owned()
    } else {
        lines.join("\n")
    };
    Ok(Screen {
        text: t.render(
            S::VouchersHeader,
            &[("count", &rows.len().to_string()), ("lines", &lines)],
        ),
        buttons,
    })
}

#[cfg(test)]
mod tests {
    use super::{Spec, parse};

    #[test]
    fn a_voucher_line_is_read_with_defaults() {
        assert_eq!(
            parse("hemat10 | 10% | 20.000 | 100 | 1 | 30"),
            Ok(Spec {
                code: "HEMAT10".to_owned(),
                percent: true,
                value: 10,
                min_order: 20_000,
                max_uses: Some(100),
                per_user: Some(1),
                days: Some(30),
            })
        );
        assert_eq!(
            parse("DISKON5K | 5000"),
            Ok(Spec {
                code: "DISKON5K".to_owned(),
                percent: false,
                value: 5_000,
                min_order: 0,
                max_uses: None,
                per_user: None,
                days: None,
            })
        );
        assert!(parse("X | 10%").is_err());
        assert!(parse("HEMAT | 150%").is_err());
        assert!(parse("HEMAT | 10% | 0 | 0").is_err());
        assert!(parse("HEMAT").is_err());
    }
}
