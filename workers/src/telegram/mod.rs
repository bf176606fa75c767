//! Telegram: what the bot hears ([`inbox`], handled by [`updates`]), what it says
//! ([`outbox`], sent by [`send`] through the [`courier`], which keeps Telegram's limits with
//! [`pace`], over [`api`]) and how texts are made safe ([`html`]).

pub mod api;
pub mod courier;
pub mod html;
pub mod inbox;
pub mod outbox;
pub mod pace;
pub mod send;
pub mod updates;

pub use api::BotApi;
pub use courier::Courier;
pub use outbox::{Button, Keyboard, Outgoing, Photo, push, push_alert, push_batch};
