//! How updates get from Telegram into the queue: long polling by one ingress at a time
//! ([`poller`]), or a webhook ([`webhook`]). Both only store the update and enqueue its job.

pub mod poller;
pub mod webhook;
