//! Updates from Telegram as the ingress stored them (see [`jobs::ingress`]), read back with
//! teloxide's types.

use serde_json::Value;

/// Read a stored update with teloxide's types. (Through text: teloxide's `Update` only
/// deserializes correctly from JSON text, not from a `serde_json::Value`.)
pub fn parse(payload: &Value) -> Result<teloxide::types::Update, serde_json::Error> {
    serde_json::from_str(&payload.to_string())
}
