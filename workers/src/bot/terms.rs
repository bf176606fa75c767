//! SNK (a product's terms): after delivery the customer presses "✅ Penuhi SNK" under the
//! terms and sends proof, text or a photo. One proof per order and product is kept; a new one
//! replaces it (and says so). The owners and admins get each proof.

use std::time::Duration;

use sqlx::PgConnection;

use super::conversation::{self, State};
use crate::JobError;
use crate::shop::ids::{ChatId, OrderId, ProductId, UserId};
use crate::telegram::push_alert;
use crate::ui::Outgoing;
use crate::ui::html::escape;
use crate::ui::message::Photo;
use crate::ui::texts::{Locale, Text, Texts};

/// Whose terms a proof is for: the customer in their chat, an order of theirs and a product
/// in it.
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub user: UserId,
    pub chat: ChatId,
    pub order: OrderId,
    pub product: ProductId,
}

/// The button was pressed: ask for the proof, if the order is the customer's, delivered, and
/// has that product with terms. `None` when it is not (a forged or stale button).
pub async fn start(
    tx: &mut PgConnection,
    t: &Texts,
    terms: Terms,
    ttl: Duration,
) -> Result<Option<Outgoing>, JobError> {
    let (user_id, chat) = (terms.user, terms.chat);
    let (order_id, product_id) = (terms.order, terms.product);
    let found = sqlx::query!(
        r#"SELECT o.public_id, oi.product_name FROM orders o
           JOIN order_items oi ON oi.order_id = o.id AND oi.product_id = $3
           JOIN products p ON p.id = oi.product_id AND p.terms IS NOT NULL
           WHERE o.id = $1 AND o.user_id = $2 AND o.status IN ('paid', 'delivered')"#,
        order_id.get(),
        user_id.get(),
        product_id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    conversation::save(
        tx,
        chat,
        &State::TermsProof {
            order_id,
            product_id,
        },
        ttl,
    )
    .await?;
    Ok(Some(Outgoing::text(t.render(
        Text::TermsPrompt,
        &[
            ("product", &escape(&found.product_name)),
            ("id", &found.public_id),
        ],
    ))))
}

/// The customer sending proof.
pub struct Proof<'a> {
    pub text: Option<&'a str>,
    /// Telegram's file id of the largest size of the photo.
    pub photo: Option<&'a str>,
}

/// Store the proof (replacing an earlier one), thank the customer, forward it to `staff`.
pub async fn submit(
    tx: &mut PgConnection,
    t: &Texts,
    terms: Terms,
    proof: Proof<'_>,
    staff: &[i64],
) -> Result<Vec<Outgoing>, JobError> {
    let (user_id, chat) = (terms.user, terms.chat);
    let (order_id, product_id) = (terms.order, terms.product);
    let text: Option<String> = proof
        .text
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(4000).collect());
    if text.is_none() && proof.photo.is_none() {
        return Ok(vec![Outgoing::text(t.render(Text::TermsNeedsProof, &[]))]);
    }
    let replacements = sqlx::query_scalar!(
        r#"
        INSERT INTO terms_submissions (order_id, product_id, user_id, text, photo_file_id)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (order_id, product_id) DO UPDATE SET
            text = EXCLUDED.text, photo_file_id = EXCLUDED.photo_file_id,
            replacements = terms_submissions.replacements + 1, submitted_at = now()
        RETURNING replacements
        "#,
        order_id.get(),
        product_id.get(),
        user_id.get(),
        text,
        proof.photo,
    )
    .fetch_one(&mut *tx)
    .await?;
    conversation::clear(tx, chat).await?;
    let about = sqlx::query!(
        r#"SELECT o.public_id, oi.product_name, coalesce(u.display_name, u.first_name) AS "name!",
                  u.telegram_id
           FROM orders o JOIN order_items oi ON oi.order_id = o.id AND oi.product_id = $2
           JOIN users u ON u.id = o.user_id WHERE o.id = $1"#,
        order_id.get(),
        product_id.get()
    )
    .fetch_one(&mut *tx)
    .await?;
    let shop = Texts::load(tx, Locale::Id).await?;
    let customer = format!(
        "{} ({})",
        crate::ui::html::outside(&about.name, 64),
        about.telegram_id
    );
    let replaced = if replacements > 0 {
        format!(" · #{}", replacements + 1)
    } else {
        String::new()
    };
    let values = [
        ("product", escape(&about.product_name)),
        ("id", about.public_id.clone()),
        ("customer", customer),
        ("replaced", replaced),
        ("text", escape(text.as_deref().unwrap_or(""))),
    ];
    let values = crate::ui::texts::borrowed(&values);
    for (admin, locale) in Texts::locales_of(tx, staff).await? {
        let note = shop.render_in(Text::AdminTermsProof, locale, &values);
        let forward = match proof.photo {
            Some(photo) => Outgoing::Photo {
                photo: Photo::FileId(photo.to_owned()),
                caption: note,
                keyboard: None,
                track: None,
            },
            None => Outgoing::text(note),
        };
        push_alert(tx, admin, vec![forward]).await?;
    }
    let thanks = if replacements > 0 {
        Text::TermsReplaced
    } else {
        Text::TermsSaved
    };
    Ok(vec![Outgoing::text(t.render(thanks, &[]))])
}
