//! The cart and checkout summary as screens: item lines, totals, the voucher's line and why
//! a voucher does not apply, and the buttons of each.

use crate::shop::cart::{Adjustment, Summary, VoucherLine};
use crate::shop::pricing::PriceRule;
use crate::shop::voucher::Rejection;
use crate::ui::Button;
use crate::ui::callback::{Callback, Change, PayMethod};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, item_line, rupiah};
use crate::ui::texts::{Text, Texts};

/// The item lines and totals shared by the cart and the checkout summary.
fn totals(t: &Texts, summary: &Summary, timezone: chrono_tz::Tz) -> Vec<String> {
    let mut out: Vec<String> = summary
        .lines
        .iter()
        .enumerate()
        .flat_map(|(i, line)| {
            let item = item_line(t, i + 1, &line.name, line.quantity, line.price);
            let price = rupiah(line.price);
            let note = match (line.rule, &line.group) {
                (PriceRule::Tier, _) => Some(t.render(Text::CartTierNote, &[("price", &price)])),
                (PriceRule::Group, Some(group)) => Some(t.render(
                    Text::CartGroupNote,
                    &[("price", &price), ("group", &escape(group))],
                )),
                _ => None,
            };
            std::iter::once(item).chain(note)
        })
        .collect();
    out.push(String::new());
    out.push(t.render(Text::CartSubtotal, &[("amount", &rupiah(summary.subtotal))]));
    match &summary.voucher {
        Some(VoucherLine::Applied { code, discount }) => out.push(t.render(
            Text::CartDiscount,
            &[("code", &escape(code)), ("amount", &rupiah(*discount))],
        )),
        Some(VoucherLine::Rejected { code, rejection }) => out.push(t.render(
            Text::CartVoucherInvalid,
            &[
                ("code", &escape(code)),
                ("reason", &reason(t, rejection, timezone)),
            ],
        )),
        None => {}
    }
    out.push(t.render(Text::CartTotal, &[("amount", &rupiah(summary.total))]));
    out
}

fn adjustment_lines(t: &Texts, adjustments: &[Adjustment]) -> Vec<String> {
    if adjustments.is_empty() {
        return Vec::new();
    }
    let mut out = vec![t.render(Text::CartAdjusted, &[])];
    out.extend(adjustments.iter().map(|adjustment| match adjustment {
        Adjustment::Removed { name } => t.render(Text::CartRemovedLine, &[("name", &escape(name))]),
        Adjustment::Capped { name, stock } => t.render(
            Text::CartCappedLine,
            &[("name", &escape(name)), ("stock", &stock.to_string())],
        ),
    }));
    out.push(String::new());
    out
}

fn empty_screen(t: &Texts) -> Screen {
    Screen {
        text: t.render(Text::CartEmpty, &[]),
        buttons: vec![vec![Button::callback(
            t.get(Text::ButtonShop),
            Callback::Categories.encode(),
        )]],
    }
}

/// The cart with a row of buttons per variant and the voucher and checkout buttons.
pub fn screen(t: &Texts, summary: &Summary, timezone: chrono_tz::Tz) -> Screen {
    if summary.lines.is_empty() {
        return empty_screen(t);
    }
    let mut text = vec![t.render(Text::CartHeader, &[]), String::new()];
    text.extend(totals(t, summary, timezone));
    let mut buttons: Vec<Vec<Button>> = summary
        .lines
        .iter()
        .map(|line| {
            let item = |change| Callback::CartItem {
                id: line.variant_id,
                change,
            };
            vec![
                Button::callback("➖", item(Change::Minus).encode()),
                Button::callback(
                    format!("❌ {}", short(&line.name)),
                    item(Change::Set(0)).encode(),
                ),
                Button::callback("➕", item(Change::Plus).encode()),
            ]
        })
        .collect();
    buttons.push(vec![if summary.voucher.is_some() {
        Button::callback(
            t.get(Text::ButtonRemoveVoucher),
            Callback::RemoveVoucher.encode(),
        )
    } else {
        Button::callback(t.get(Text::ButtonVoucher), Callback::Voucher.encode())
    }]);
    buttons.push(vec![
        Button::callback(t.get(Text::ButtonEmptyCart), Callback::EmptyCart.encode()),
        Button::callback(t.get(Text::ButtonCheckout), Callback::Checkout.encode()),
    ]);
    Screen {
        text: text.join("\n"),
        buttons,
    }
}

/// The checkout summary: what will be paid, and the payment choice for this cart version.
pub fn checkout(
    t: &Texts,
    summary: &Summary,
    adjustments: &[Adjustment],
    balance: i64,
    timezone: chrono_tz::Tz,
) -> Screen {
    if summary.lines.is_empty() {
        let mut screen = empty_screen(t);
        let mut text = adjustment_lines(t, adjustments);
        text.push(screen.text);
        screen.text = text.join("\n");
        return screen;
    }
    let mut text = vec![t.render(Text::CheckoutHeader, &[]), String::new()];
    text.extend(adjustment_lines(t, adjustments));
    text.extend(totals(t, summary, timezone));
    text.push(String::new());
    text.push(t.render(Text::CheckoutFooter, &[("balance", &rupiah(balance))]));
    let pay = |method| {
        Callback::Pay {
            method,
            version: summary.version,
        }
        .encode()
    };
    Screen {
        text: text.join("\n"),
        buttons: vec![
            vec![
                Button::callback(t.get(Text::ButtonPayQris), pay(PayMethod::Qris)),
                Button::callback(t.get(Text::ButtonPayBalance), pay(PayMethod::Balance)),
            ],
            vec![Button::callback(
                t.get(Text::ButtonBackToCart),
                Callback::Cart.encode(),
            )],
        ],
    }
}

/// A product name short enough for a button.
fn short(name: &str) -> String {
    const MAX: usize = 24;
    if name.chars().count() <= MAX {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

/// The customer's words for a rejection.
pub fn reason(t: &Texts, rejection: &Rejection, timezone: chrono_tz::Tz) -> String {
    match rejection {
        Rejection::Unknown => t.render(Text::VoucherUnknown, &[]),
        Rejection::Inactive => t.render(Text::VoucherInactive, &[]),
        Rejection::NotYet(from) => {
            let date = from.with_timezone(&timezone).format("%d-%m-%Y %H:%M");
            t.render(Text::VoucherNotYet, &[("date", &date.to_string())])
        }
        Rejection::Expired => t.render(Text::VoucherExpired, &[]),
        Rejection::MinOrder(amount) => {
            t.render(Text::VoucherMinOrder, &[("amount", &rupiah(*amount))])
        }
        Rejection::UsedUp => t.render(Text::VoucherUsedUp, &[]),
        Rejection::UsedUpForYou(uses) => {
            t.render(Text::VoucherUsedUpForYou, &[("uses", &uses.to_string())])
        }
    }
}
