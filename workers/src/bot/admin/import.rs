//! `admin.import_contents`: an uploaded .txt of contents (one per line), downloaded from
//! Telegram and added to a product, or to the add-product wizard's draft. The admin is told
//! how many were added and how many were duplicates.

use jobs::catalogue::{ImportContents, ImportTarget};
use sqlx::Acquire;

use super::catalog::{MAX_FILE, add_contents, contents_added, too_long_note};
use super::{Step, WizardStep, content_lines};
use crate::bot::conversation::{self, State};
use crate::telegram::{BotApi, push};
use crate::ui::Outgoing;
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
    let text = match bot.download(&job.file_id, MAX_FILE).await {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            "the file is not UTF-8 text; save it as plain text (UTF-8) and upload it again"
                .to_owned()
        }),
        Err(crate::telegram::api::Download::TooLarge(size)) => Err(format!(
            "the file is {} KiB; the limit is {} KiB",
            size / 1024,
            MAX_FILE / 1024
        )),
        Err(crate::telegram::api::Download::Failed(error)) if !ctx.is_last_attempt() => {
            return Err(JobError::Retry(error.to_string()));
        }
        Err(crate::telegram::api::Download::Failed(error)) => {
            Err(format!("Telegram did not give the file: {error}"))
        }
    };
    let mut conn = ctx.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let reply = match text {
        Err(why) => Outgoing::text(format!("❌ Nothing imported: {why}.")),
        Ok(text) => {
            let (lines, too_long) = content_lines(&text);
            match job.target {
                ImportTarget::Product(product_id) => {
                    match add_contents(&mut tx, &job.actor, product_id, &lines).await? {
                        Some(added) => Outgoing::text(format!(
                            "✅ File imported: added {}; {} duplicate(s) skipped{}. Stock now: <b>{}</b>.",
                            added.added,
                            added.duplicates,
                            too_long_note(too_long),
                            added.stock
                        )),
                        None => {
                            Outgoing::text("❌ That product no longer exists; nothing imported.")
                        }
                    }
                }
                ImportTarget::Draft => {
                    let state = conversation::load(&mut tx, job.chat_id.get()).await?;
                    match state {
                        conversation::Loaded::Live(State::Admin(Step::Wizard(
                            WizardStep::ProductContents { mut draft },
                        ))) => {
                            let (added, duplicates) = draft.add(lines);
                            let total = draft.contents.len();
                            let step =
                                State::Admin(Step::Wizard(WizardStep::ProductContents { draft }));
                            conversation::save(&mut tx, job.chat_id.get(), &step, state_ttl)
                                .await?;
                            contents_added(added, duplicates, too_long, total)
                        }
                        _ => Outgoing::text(
                            "❌ The new-product wizard was left before the file arrived; nothing imported.",
                        ),
                    }
                }
            }
        }
    };
    push(&mut tx, job.chat_id.get(), vec![reply]).await?;
    tx.commit().await?;
    Ok(())
}
