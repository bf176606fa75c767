//! What people read and press, above the shop's domain ([`crate::shop`]) and below the job
//! families: the [`texts`] (templates in Indonesian and English), [`screen`]s, the customer
//! buttons' [`callback`] codec, Telegram [`html`] and the [`message`]s the outbox carries.
//! Nothing here sends or enqueues.

pub mod callback;
pub mod cart;
pub mod codec;
pub mod html;
pub mod message;
pub mod order;
pub mod screen;
pub mod texts;

pub use message::{Button, Keyboard, Outgoing, Photo};
