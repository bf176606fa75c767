//! The shop's words, at the bottom of the workspace: [`ids`] that cannot be mixed up,
//! [`money`] ([`Rupiah`]), [`pricing`] (tiers and group prices), what an invoice is for
//! ([`Payable`]) and [`status`]es mapped onto the schema's CHECK lists. Parsed once at the
//! edge, trusted inside. This crate depends on nothing of the project's.

pub mod ids;
pub mod money;
pub mod payable;
pub mod pricing;
pub mod status;

pub use ids::*;
pub use money::Rupiah;
pub use payable::Payable;
