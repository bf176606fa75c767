//! A variant's contents (stock): added by paste or .txt file, unused ones listed masked and
//! deleted.

use serde_json::json;
use sqlx::PgConnection;

use super::super::{Admin, Change, Input, ask, back, button, content_lines, paging, wait_for};
use super::PAGE;
use super::variants::VariantPress;
use super::wizard::finish_keyboard;
use crate::JobError;
use crate::bot::conversation::{self};
use crate::bot::{BotSettings, Reply};
use crate::shop::ids::{ContentId, VariantId};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::screen::Screen;
use crate::ui::texts::{CatalogText as C, Texts};
use crate::ui::{Button, Keyboard, Outgoing};
use jobs::catalogue::{ImportContents, ImportTarget};

/// What the bot waits for from an admin in new contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StockStep {
    /// More contents for a variant, pasted or uploaded. (Stored as `product_id` before
    /// variants; a product's id is its first variant's.)
    AddStock {
        #[serde(alias = "product_id")]
        variant_id: VariantId,
    },
}

callbacks! {
    /// An admin's press on a variant's contents (stock).
    pub enum StockPress = "a:" {
        AddStock { id: VariantId } = "sa",
        Stock { id: VariantId, page: u32 } = "sl",
        DeleteContent { content: ContentId } = "sd",
    }
}

impl Checked for StockPress {}

/// The largest contents file accepted (a .txt with one content per line).
pub const MAX_FILE: u32 = 1024 * 1024;

/// A press on a variant's contents.
pub(in crate::bot::admin) async fn on_stock(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: StockPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        StockPress::AddStock { id } => {
            let step = StockStep::AddStock { variant_id: id };
            let question = t.get(C::AddStockPrompt).to_owned();
            return wait_for(tx, admin, step, question, settings).await;
        }
        StockPress::Stock { id, page } => Reply::edit(stock(tx, t, id, page).await?),
        StockPress::DeleteContent { content } => {
            let deleted = sqlx::query!(
                "DELETE FROM product_contents WHERE id = $1 AND state = 'available' RETURNING variant_id, content",
                content.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            match deleted {
                Some(row) => {
                    let change = Change::of("content.delete", "variant", row.variant_id)
                        .before(json!({ "content_id": content, "content": mask(&row.content) }));
                    admin.audit(tx, change).await?;
                    Reply::edit(stock(tx, t, VariantId(row.variant_id), 0).await?)
                        .noticed(Some(t.get(C::Deleted).to_owned()))
                }
                None => Reply::default().noticed(Some(t.get(C::NotDeleted).to_owned())),
            }
        }
    })
}

/// Queue the download of an uploaded file (contents, or a price list); the import job reports
/// back.
pub(in crate::bot::admin) async fn import(
    tx: &mut PgConnection,
    admin: &Admin,
    document: &super::super::Document<'_>,
    target: ImportTarget,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let (extension, refusal) = match target {
        ImportTarget::PriceList => (".csv", t.get(crate::ui::texts::PriceText::ImportPrompt)),
        ImportTarget::Variant(_) | ImportTarget::Draft => (".txt", t.get(C::OnlyTxt)),
    };
    let fits = document
        .name
        .is_none_or(|name| name.to_lowercase().ends_with(extension));
    if !fits {
        return Ok(vec![ask(t, refusal)]);
    }
    if document.size > MAX_FILE {
        let size = (document.size / 1024).to_string();
        let limit = (MAX_FILE / 1024).to_string();
        return Ok(vec![ask(
            t,
            t.render(C::FileTooLarge, &[("size", &size), ("limit", &limit)]),
        )]);
    }
    jobs::enqueue(
        &mut *tx,
        &ImportContents {
            chat_id: admin.chat,
            actor: admin.actor(),
            file_id: document.file_id.to_owned(),
            target,
        },
    )
    .await?;
    Ok(vec![Outgoing::text(t.get(C::FileReceived))])
}

pub(in crate::bot::admin) fn contents_added(
    t: &Texts,
    added: usize,
    duplicates: usize,
    too_long: usize,
    total: usize,
) -> Outgoing {
    Outgoing::text_with(
        t.render(
            C::DraftAdded,
            &[
                ("added", &added.to_string()),
                ("duplicates", &duplicates.to_string()),
                ("too_long", &too_long_note(t, too_long)),
                ("total", &total.to_string()),
            ],
        ),
        finish_keyboard(t),
    )
}

pub(in crate::bot::admin) fn too_long_note(t: &Texts, too_long: usize) -> String {
    if too_long == 0 {
        String::new()
    } else {
        t.render(C::TooLongNote, &[("count", &too_long.to_string())])
    }
}

pub(in crate::bot::admin) struct Added {
    pub added: u64,
    pub duplicates: u64,
    pub stock: i64,
}

/// Add contents to a variant, skipping ones it already has; None when the variant is gone.
pub(in crate::bot::admin) async fn add_contents(
    tx: &mut PgConnection,
    actor: &str,
    variant_id: VariantId,
    lines: &[String],
) -> Result<Option<Added>, JobError> {
    let exists = sqlx::query_scalar!(
        "SELECT id FROM product_variants WHERE id = $1 FOR UPDATE",
        variant_id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if exists.is_none() {
        return Ok(None);
    }
    let added = sqlx::query!(
        r#"INSERT INTO product_contents (variant_id, content)
           SELECT $1, c FROM unnest($2::text[]) AS c
           ON CONFLICT (variant_id, content) DO NOTHING"#,
        variant_id.get(),
        lines,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let stock = stock_of(tx, variant_id).await?;
    if added > 0 {
        let entry = Change::of("content.add", "variant", variant_id);
        entry
            .after(json!({ "added": added, "stock": stock }))
            .write(tx, actor)
            .await?;
        sqlx::query!(
            "UPDATE product_variants SET low_stock_alerted_at = NULL WHERE id = $1 AND (low_stock_threshold IS NULL OR $2::bigint >= low_stock_threshold)",
            variant_id.get(),
            stock
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(Some(Added {
        added,
        duplicates: (lines.len() as u64).saturating_sub(added),
        stock,
    }))
}

pub(in crate::bot::admin) async fn stock_of(
    tx: &mut PgConnection,
    variant_id: VariantId,
) -> Result<i64, JobError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM product_contents WHERE variant_id = $1 AND state = 'available'"#,
        variant_id.get()
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// `ab••••yz`: enough to recognise a content, not enough to use it.
pub(in crate::bot::admin) fn mask(content: &str) -> String {
    let chars: Vec<char> = content.chars().collect();
    if chars.len() <= 4 {
        return "•".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}••••{tail}")
}

/// Unused contents, masked, each with a delete button.
pub(in crate::bot::admin) async fn stock(
    tx: &mut PgConnection,
    t: &Texts,
    variant_id: VariantId,
    page: u32,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"SELECT id, content, count(*) OVER () AS "total!" FROM product_contents
           WHERE variant_id = $1 AND state = 'available' ORDER BY id LIMIT $2 OFFSET $3"#,
        variant_id.get(),
        PAGE,
        i64::from(page) * PAGE
    )
    .fetch_all(&mut *tx)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            vec![button(
                format!("🗑 {}", mask(&row.content)),
                StockPress::DeleteContent {
                    content: ContentId(row.id),
                },
            )]
        })
        .collect();
    let more = i64::from(page + 1) * PAGE < total;
    paging(&mut buttons, page, more, |page| StockPress::Stock {
        id: variant_id,
        page,
    });
    buttons.push(back(t, VariantPress::Variant { id: variant_id }));
    Ok(Screen {
        text: t.render(C::ContentsHeader, &[("total", &total.to_string())]),
        buttons,
    })
}

/// An admin's new contents for a variant: pasted lines or a .txt file.
pub(in crate::bot::admin) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: StockStep,
    input: &Input<'_>,
) -> Result<Vec<Outgoing>, JobError> {
    let text = input.text;
    let t = &admin.t;
    Ok(match step {
        StockStep::AddStock { variant_id } => {
            if let Some(document) = &input.document {
                return import(tx, admin, document, ImportTarget::Variant(variant_id)).await;
            }
            let (lines, too_long) = content_lines(text);
            let outcome = add_contents(tx, &admin.actor(), variant_id, &lines).await?;
            let Some(outcome) = outcome else {
                conversation::clear(tx, admin.chat).await?;
                return Ok(vec![Outgoing::text(t.get(C::ProductNoLonger))]);
            };
            vec![Outgoing::text_with(
                t.render(
                    C::StockAdded,
                    &[
                        ("added", &outcome.added.to_string()),
                        ("duplicates", &outcome.duplicates.to_string()),
                        ("too_long", &too_long_note(t, too_long)),
                        ("stock", &outcome.stock.to_string()),
                    ],
                ),
                Keyboard::Inline(vec![vec![button(
                    t.get(C::DoneButton),
                    VariantPress::Variant { id: variant_id },
                )]]),
            )]
        }
    })
}
