//! Telegram: what the bot hears ([`inbox`], handled by [`updates`]), what it says
//! ([`outbox`], sent by [`send`] through [`api`]) and how texts are made safe ([`html`]).

pub mod api;
pub mod html;
pub mod inbox;
pub mod outbox;
pub mod send;
pub mod updates;

pub use api::BotApi;
pub use outbox::{Button, Keyboard, Outgoing, Photo, push};
