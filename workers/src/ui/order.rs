//! An order in words: its status and its item lines.

use super::screen::item_line;
use super::texts::{Text, Texts};
use crate::shop::order::Item;
use crate::shop::status::OrderStatus;

/// The customer's word for an order's status.
pub fn status_text(t: &Texts, status: OrderStatus) -> String {
    let text = match status {
        OrderStatus::AwaitingPayment => Text::StatusAwaitingPayment,
        OrderStatus::Paid => Text::StatusPaid,
        OrderStatus::Delivered => Text::StatusDelivered,
        OrderStatus::Expired => Text::StatusExpired,
        OrderStatus::Cancelled => Text::StatusCancelled,
        OrderStatus::Refunded => Text::StatusRefunded,
    };
    t.get(text).to_owned()
}

/// "n. name ×quantity = total" for each item of an order.
pub fn item_lines(t: &Texts, items: &[Item]) -> Vec<String> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| item_line(t, i + 1, &item.name, item.quantity, item.unit_price.get()))
        .collect()
}
