//! Telegram: what the bot hears ([`inbox`], handled by [`crate::bot::updates`]), what it says
//! ([`outbox`], sent by [`send`] through the [`courier`], which keeps Telegram's limits with
//! [`pace`], over [`api`]). The messages themselves are [`crate::ui::message`]s.

pub mod api;
pub mod courier;
pub mod inbox;
pub mod outbox;
pub mod pace;
pub mod send;

pub use api::BotApi;
pub use courier::Courier;
pub use outbox::{alert_staff_with, push, push_alert, push_batch};
