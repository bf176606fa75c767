//! What an invoice is for: an order or a balance top-up, never both, never neither (the
//! schema's CHECK on `invoices`).

use crate::{DepositId, OrderId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payable {
    Order(OrderId),
    Deposit(DepositId),
}

impl Payable {
    /// From an invoice row's `order_id` and `deposit_id`; `None` when the row breaks the rule.
    pub fn of(order_id: Option<i64>, deposit_id: Option<i64>) -> Option<Payable> {
        match (order_id, deposit_id) {
            (Some(order), None) => Some(Payable::Order(OrderId(order))),
            (None, Some(deposit)) => Some(Payable::Deposit(DepositId(deposit))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_is_for_exactly_one_thing() {
        assert_eq!(Payable::of(Some(1), None), Some(Payable::Order(OrderId(1))));
        assert_eq!(
            Payable::of(None, Some(2)),
            Some(Payable::Deposit(DepositId(2)))
        );
        assert_eq!(Payable::of(Some(1), Some(2)), None);
        assert_eq!(Payable::of(None, None), None);
    }
}
