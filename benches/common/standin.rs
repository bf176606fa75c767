//! The stand-in Bot API for the benches that talk to Telegram (shared through `#[path]` by
//! those benches only).

use bot_auto_order::standin::telegram::{StandinLimits, TelegramStandin};

/// A stand-in Bot API with its rate limits lifted as `common::UNPACED` lifts the shop's.
pub async fn standin() -> anyhow::Result<TelegramStandin> {
    let api = TelegramStandin::start().await?;
    api.set_limits(StandinLimits {
        private_per_second: 1e6,
        private_burst: 1_000_000,
        group_per_minute: 1_000_000,
        group_burst: 1_000_000,
        bot_per_second: 1e6,
        bot_burst: 1_000_000,
    });
    Ok(api)
}

/// What the stand-in punished during a bench (all zero when the shop kept Telegram's rules).
pub fn strictness_line(api: &TelegramStandin) -> String {
    let s = api.strictness();
    format!(
        "Strict stand-in: {} calls inside a retry_after, {} over a rate limit, {} unchanged edits.",
        s.violations.len(),
        s.rate_limited.len(),
        s.not_modified.len()
    )
}
