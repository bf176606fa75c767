//! Rejected payment notices, folded for the staff. Anyone who finds the webhook's URL can
//! post made-up notices (Pakasir signs nothing), so each one must not page the staff: per
//! staff chat and ten-minute window one message is sent, and later rejections edit it with
//! the count by reason and the latest few (edits of one message that pile up while the chat
//! is paced are sent as one, see [`crate::telegram::send`]). Values from the notice are cut
//! and escaped.

use sqlx::PgConnection;

use super::PaymentSettings;
use crate::JobError;
use crate::telegram::push_alert;
use crate::ui::Outgoing;
use crate::ui::html::{escape, outside};
use crate::ui::message::Track;
use crate::ui::texts::{Locale, Text, Texts};

/// The folding window, in minutes.
const WINDOW_MINUTES: i32 = 10;
/// Latest rejections listed in the message.
const LATEST: i32 = 5;
/// How much of an order id or a note from outside is shown.
const FIELD_MAX: usize = 64;

/// One rejected notice: why (`reason`, a short fixed phrase the count is kept by) and the
/// details (`order` and `note` from outside).
pub(crate) async fn fold(
    tx: &mut PgConnection,
    settings: &PaymentSettings,
    reason: &str,
    order: &str,
    note: &str,
) -> Result<(), JobError> {
    let staff = settings.staff.everyone();
    tracing::warn!(
        order = %outside(order, FIELD_MAX),
        reason,
        note = %outside(note, 200),
        "payment notice rejected"
    );
    if staff.is_empty() {
        return Ok(());
    }
    let texts = Texts::load(tx, Locale::Id).await?;
    let line = format!(
        "• <code>{}</code> — {}",
        outside(order, FIELD_MAX),
        outside(note, FIELD_MAX)
    );
    let link = match settings.public_url.as_deref() {
        Some(url) => format!("{}/dashboard/payments", url.trim_end_matches('/')),
        None => "/dashboard/payments".to_owned(),
    };
    for (chat, locale) in Texts::locales_of(tx, staff).await? {
        let digest = sqlx::query!(
            r#"
            INSERT INTO notice_digests AS d (chat_id, kind, window_start, counts, latest, total)
            VALUES ($1, 'payment_rejected',
                    date_bin(make_interval(mins => $2), now(), timestamptz '2000-01-01'),
                    jsonb_build_object($3::text, 1), jsonb_build_array($4::text), 1)
            ON CONFLICT (chat_id, kind, window_start) DO UPDATE SET
                counts = d.counts || jsonb_build_object($3::text, coalesce((d.counts ->> $3::text)::int, 0) + 1),
                latest = (SELECT coalesce(jsonb_agg(x ORDER BY n), '[]'::jsonb)
                          FROM jsonb_array_elements(jsonb_build_array($4::text) || d.latest)
                               WITH ORDINALITY AS e(x, n)
                          WHERE n <= $5),
                total = d.total + 1
            RETURNING id, total, counts, latest, window_start
            "#,
            chat,
            WINDOW_MINUTES,
            reason,
            line,
            i64::from(LATEST),
        )
        .fetch_one(&mut *tx)
        .await?;
        let mut reasons: Vec<(String, i64)> = digest
            .counts
            .as_object()
            .map(|counts| {
                counts
                    .iter()
                    .map(|(reason, n)| (reason.clone(), n.as_i64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let reasons: Vec<String> = reasons
            .iter()
            .map(|(reason, n)| format!("• {}: <b>{n}</b>", escape(reason)))
            .collect();
        let latest: Vec<String> = digest
            .latest
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(|line| line.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let since = digest
            .window_start
            .with_timezone(&settings.timezone)
            .format("%H:%M %Z")
            .to_string();
        let text = texts.render_in(
            Text::AdminRejectedNotices,
            locale,
            &[
                ("since", &since),
                ("total", &digest.total.to_string()),
                ("reasons", &reasons.join("\n")),
                ("latest", &latest.join("\n")),
                ("link", &escape(&link)),
            ],
        );
        let track = Track::notice_digest(digest.id);
        let message = Outgoing::tracked(digest.total == 1, track, text, None);
        push_alert(tx, chat, vec![message]).await?;
    }
    Ok(())
}
