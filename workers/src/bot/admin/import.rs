//! `admin.import_contents`: an uploaded file downloaded from Telegram: a .txt of contents
//! (one per line) added to a variant or to the add-product wizard's draft (the admin is told
//! how many were added and how many were duplicates), or a .csv price list, previewed.

use jobs::catalogue::{ImportContents, ImportTarget};
use sqlx::Acquire;

use super::catalog::{MAX_FILE, add_contents, contents_added, too_long_note};
use super::{Step, WizardStep, content_lines};
use crate::bot::conversation::{self, State};
use crate::telegram::{BotApi, push};
use crate::ui::Outgoing;
use crate::ui::texts::{CatalogText as C, Texts};
use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, bot: BotApi, state_ttl: std::time::Duration) {
    registry.register(move |job: ImportContents, ctx: JobContext| {
        let bot = bot.clone();
        async move { import(job, ctx, bot, state_ttl).await }
    });
}

async fn import(
    job: ImportContents,
    ctx: JobContext,
    bot: BotApi,
    state_ttl: std::time::Duration,
) -> Result<(), JobError> {
    let downloaded = bot.download(&job.file_id, MAX_FILE).await;
    if let Err(crate::telegram::api::Download::Failed(error)) = &downloaded
        && !ctx.is_last_attempt()
    {
        return Err(JobError::Retry(error.to_string()));
    }
    let mut conn = ctx.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let t = Texts::of_user(&mut tx, job.chat_id.get()).await?;
    let text = match downloaded {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| t.get(C::ImportNotUtf8).to_owned()),
        Err(crate::telegram::api::Download::TooLarge(size)) => Err(t.render(
            C::ImportTooLarge,
            &[
                ("size", &(size / 1024).to_string()),
                ("limit", &(MAX_FILE / 1024).to_string()),
            ],
        )),
        Err(crate::telegram::api::Download::Failed(error)) => Err(t.render(
            C::ImportNotGiven,
            &[("error", &crate::ui::html::escape(&error.to_string()))],
        )),
    };
    let reply = match text {
        Err(why) => Outgoing::text(t.render(C::ImportFailed, &[("why", &why)])),
        Ok(text) => {
            let (lines, too_long) = content_lines(&text);
            match job.target {
                ImportTarget::Variant(variant_id) => {
                    match add_contents(&mut tx, &job.actor, variant_id, &lines).await? {
                        Some(added) => Outgoing::text(t.render(
                            C::Imported,
                            &[
                                ("added", &added.added.to_string()),
                                ("duplicates", &added.duplicates.to_string()),
                                ("too_long", &too_long_note(&t, too_long)),
                                ("stock", &added.stock.to_string()),
                            ],
                        )),
                        None => Outgoing::text(t.get(C::ImportProductGone)),
                    }
                }
                ImportTarget::PriceList => {
                    super::price_import::preview(&mut tx, &t, job.chat_id, &text, state_ttl).await?
                }
                ImportTarget::Draft => {
                    let state = conversation::load(&mut tx, job.chat_id).await?;
                    match state {
                        conversation::Loaded::Live(State::Admin(Step::Wizard(
                            WizardStep::ProductContents { mut draft },
                        ))) => {
                            let (added, duplicates) = draft.add(lines);
                            let total = draft.contents.len();
                            let step =
                                State::Admin(Step::Wizard(WizardStep::ProductContents { draft }));
                            conversation::save(&mut tx, job.chat_id, &step, state_ttl).await?;
                            contents_added(&t, added, duplicates, too_long, total)
                        }
                        _ => Outgoing::text(t.get(C::ImportWizardLeft)),
                    }
                }
            }
        }
    };
    push(&mut tx, job.chat_id.get(), vec![reply]).await?;
    ctx.commit(tx).await?;
    Ok(())
}
