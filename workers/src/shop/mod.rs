//! The shop's domain, the floor every other part stands on: carts and vouchers, and the
//! words the rest use for them. Nothing here renders, sends or enqueues.

pub mod cart;
pub mod order;
pub mod price_list;
pub mod staff;
pub mod variant;
pub mod voucher;

pub use domain::{Payable, Rupiah, ids, money, pricing, status};

/// How the customer wants to pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayMethod {
    Qris,
    Balance,
}
