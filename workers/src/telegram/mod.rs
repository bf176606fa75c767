//! Telegram: what the bot says ([`outbox`], sent by [`send`]) and how texts are made safe
//! ([`html`]).

pub mod html;
pub mod outbox;
pub mod send;

pub use outbox::{Button, Keyboard, Outgoing, Photo, push};
