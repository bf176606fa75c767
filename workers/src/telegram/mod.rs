//! Telegram: what the bot hears ([`inbox`], handled by [`updates`]), what it says
//! ([`outbox`], sent by [`send`]) and how texts are made safe ([`html`]).

pub mod html;
pub mod inbox;
pub mod outbox;
pub mod send;
pub mod updates;

pub use outbox::{Button, Keyboard, Outgoing, Photo, push};
