//! Products, their contents (stock) and categories: lists, the add-product wizard, edits,
//! archive, stock added by paste or file, unused contents listed masked and deleted.

use super::callback::{AdminCallback, MenuPress};
use crate::ui::codec::{Checked, callbacks};
use serde_json::json;
use sqlx::PgConnection;

use super::callback::Field;
use super::{
    Admin, Draft, Input, Step, ask, audit, back, button, cancel_row, content_lines, paging,
    wait_for,
};
use crate::JobError;
use crate::bot::conversation::{self, State};
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::ui::html::escape;
use crate::ui::screen::{Screen, rupiah};
use crate::ui::{Button, Keyboard, Outgoing};
use jobs::catalogue::{ImportContents, ImportTarget};

callbacks! {
    /// An admin's press on product screens and edits.
    pub enum ProductPress = "a:" {
        Products { page: u32 } = "ps",
        Product { id: i64 } = "p",
        SearchProducts = "pq",
        Edit { id: i64, field: Field } = "pe",
        /// Pick a product's category.
        PickCategory { id: i64 } = "pk",
        SetCategory { id: i64, category: Option<i64> } = "pK",
        Archive { id: i64, archived: bool } = "pa",
    }
}

impl Checked for ProductPress {}

callbacks! {
    /// An admin's press on the add-product wizard.
    pub enum WizardPress = "a:" {
        NewProduct = "pn",
        /// The wizard's category choice (None: uncategorised).
        WizardCategory { category: Option<i64> } = "wc",
        /// The wizard's contents are complete: create the product.
        WizardFinish = "wf",
        /// No terms for the product just created.
        SkipTerms = "wt",
    }
}

impl Checked for WizardPress {}

callbacks! {
    /// An admin's press on a product's contents (stock).
    pub enum StockPress = "a:" {
        AddStock { id: i64 } = "sa",
        Stock { id: i64, page: u32 } = "sl",
        DeleteContent { content: i64 } = "sd",
    }
}

impl Checked for StockPress {}

callbacks! {
    /// An admin's press on categories.
    pub enum CategoryPress = "a:" {
        Categories = "cs",
        NewCategory = "cn",
        Category { id: i64 } = "c",
        RenameCategory { id: i64 } = "cr",
        CategoryEmoji { id: i64 } = "ce",
        MoveCategory { id: i64, up: bool } = "cm",
        DeleteCategory { id: i64, confirmed: bool } = "cd",
    }
}

impl Checked for CategoryPress {}

const PAGE: i64 = 10;
/// The largest contents file accepted (a .txt with one content per line).
pub const MAX_FILE: u32 = 1024 * 1024;

/// A press on a product screen.
pub(super) async fn on_product(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: ProductPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        ProductPress::Products { page } => Reply::edit(products(tx, page).await?),
        ProductPress::Product { id } => Reply::edit(product(tx, id).await?),
        ProductPress::SearchProducts => {
            return wait_for(
                tx,
                admin,
                Step::ProductSearch,
                "🔎 Send part of a product's name or code.",
                settings,
            )
            .await;
        }
        ProductPress::Edit { id, field } => {
            let question = match field {
                Field::Name => "Send the new <b>name</b> (up to 128 characters).",
                Field::Price => "Send the new <b>price</b> in rupiah (e.g. <code>25.000</code>).",
                Field::Description => "Send the new <b>description</b> (<code>-</code> for none).",
                Field::Terms => {
                    "Send the new <b>terms (SNK)</b> shown after delivery (<code>-</code> for none)."
                }
                Field::LowStock => {
                    "Send the <b>low-stock threshold</b>: admins are alerted once when stock \
                     falls below it (<code>-</code> for none)."
                }
            };
            let step = Step::EditProduct {
                product_id: id,
                field,
            };
            return wait_for(tx, admin, step, question, settings).await;
        }
        ProductPress::PickCategory { id } => Reply::edit(
            category_picker(tx, |category| ProductPress::SetCategory { id, category }).await?,
        ),
        ProductPress::SetCategory { id, category } => {
            let before = product_row(tx, id).await?;
            let changed = sqlx::query!(
                r#"UPDATE products SET category_id = $2, updated_at = now()
                   WHERE id = $1 AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM categories WHERE id = $2))
                   RETURNING id"#,
                id,
                category
            )
            .fetch_optional(&mut *tx)
            .await?;
            if changed.is_some() {
                audit(
                    tx,
                    &admin.actor(),
                    "product.update",
                    ("product", Some(id.to_string())),
                    before,
                    Some(json!({ "category_id": category })),
                )
                .await?;
            }
            Reply::edit(product(tx, id).await?)
        }
        ProductPress::Archive { id, archived } => {
            let status = if archived { "archived" } else { "active" };
            let changed = sqlx::query_scalar!(
                "UPDATE products SET status = $2, updated_at = now() WHERE id = $1 AND status <> $2 RETURNING id",
                id,
                status
            )
            .fetch_optional(&mut *tx)
            .await?;
            if changed.is_some() {
                let action = if archived {
                    "product.archive"
                } else {
                    "product.unarchive"
                };
                audit(
                    tx,
                    &admin.actor(),
                    action,
                    ("product", Some(id.to_string())),
                    None,
                    Some(json!({ "status": status })),
                )
                .await?;
            }
            Reply::edit(product(tx, id).await?)
        }
    })
}

/// A press inside the add-product wizard.
pub(super) async fn on_wizard(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: WizardPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        WizardPress::NewProduct => {
            return wait_for(
                tx,
                admin,
                Step::ProductCode,
                "➕ <b>New product</b> — step 1/7\nSend the product <b>code</b>: letters, digits, \
                 <code>-</code> and <code>_</code>, up to 32 (e.g. <code>NETFLIX1M</code>).",
                settings,
            )
            .await;
        }
        WizardPress::WizardCategory { category } => match conversation::load(tx, admin.chat).await?
        {
            conversation::Loaded::Live(State::Admin(Step::ProductCategory { mut draft })) => {
                draft.category = category;
                conversation::save(
                    tx,
                    admin.chat,
                    &State::Admin(Step::ProductContents { draft }),
                    settings.state_ttl,
                )
                .await?;
                Reply {
                    send: vec![contents_prompt(0)],
                    ..Reply::default()
                }
            }
            _ => stale(),
        },
        WizardPress::WizardFinish => match conversation::load(tx, admin.chat).await? {
            conversation::Loaded::Live(State::Admin(Step::ProductContents { draft })) => Reply {
                send: create_product(tx, admin, draft, settings).await?,
                ..Reply::default()
            },
            _ => stale(),
        },
        WizardPress::SkipTerms => match conversation::load(tx, admin.chat).await? {
            conversation::Loaded::Live(State::Admin(Step::ProductTerms { product_id })) => {
                conversation::clear(tx, admin.chat).await?;
                Reply {
                    send: vec![message(product(tx, product_id).await?)],
                    ..Reply::default()
                }
            }
            _ => stale(),
        },
    })
}

/// A press on a product's contents.
pub(super) async fn on_stock(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: StockPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        StockPress::AddStock { id } => {
            return wait_for(
                tx,
                admin,
                Step::AddStock { product_id: id },
                "📥 Send the new contents: paste them one per line (many per message), or upload \
                 a <b>.txt</b> file with one per line. Duplicates are reported and skipped. \
                 Press Cancel or any menu when done.",
                settings,
            )
            .await;
        }
        StockPress::Stock { id, page } => Reply::edit(stock(tx, id, page).await?),
        StockPress::DeleteContent { content } => {
            let deleted = sqlx::query!(
                "DELETE FROM product_contents WHERE id = $1 AND state = 'available' RETURNING product_id, content",
                content
            )
            .fetch_optional(&mut *tx)
            .await?;
            match deleted {
                Some(row) => {
                    audit(
                        tx,
                        &admin.actor(),
                        "content.delete",
                        ("product", Some(row.product_id.to_string())),
                        Some(json!({ "content_id": content, "content": mask(&row.content) })),
                        None,
                    )
                    .await?;
                    Reply::edit(stock(tx, row.product_id, 0).await?)
                        .noticed(Some("Deleted.".to_owned()))
                }
                None => Reply::default().noticed(Some(
                    "That content is gone or no longer unused (reserved or sold): nothing deleted."
                        .to_owned(),
                )),
            }
        }
    })
}

/// A press on the categories.
pub(super) async fn on_category(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: CategoryPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    Ok(match pressed {
        CategoryPress::Categories => Reply::edit(categories(tx).await?),
        CategoryPress::NewCategory => {
            return wait_for(
                tx,
                admin,
                Step::CategoryName,
                "Send the new category's <b>name</b> (up to 64 characters).",
                settings,
            )
            .await;
        }
        CategoryPress::Category { id } => Reply::edit(category(tx, id).await?),
        CategoryPress::RenameCategory { id } => {
            let step = Step::RenameCategory { category_id: id };
            return wait_for(
                tx,
                admin,
                step,
                "Send the category's new <b>name</b>.",
                settings,
            )
            .await;
        }
        CategoryPress::CategoryEmoji { id } => {
            let step = Step::CategoryEmoji { category_id: id };
            return wait_for(
                tx,
                admin,
                step,
                "Send the category's new <b>emoji</b>.",
                settings,
            )
            .await;
        }
        CategoryPress::MoveCategory { id, up } => {
            move_category(tx, id, up).await?;
            audit(
                tx,
                &admin.actor(),
                "category.move",
                ("category", Some(id.to_string())),
                None,
                Some(json!({ "direction": if up { "up" } else { "down" } })),
            )
            .await?;
            Reply::edit(categories(tx).await?)
        }
        CategoryPress::DeleteCategory {
            id,
            confirmed: false,
        } => Reply::edit(Screen {
            text: "Delete this category? Its products stay, uncategorised.".to_owned(),
            buttons: vec![
                vec![button(
                    "🗑 Yes, delete",
                    CategoryPress::DeleteCategory {
                        id,
                        confirmed: true,
                    },
                )],
                back(CategoryPress::Category { id }),
            ],
        }),
        CategoryPress::DeleteCategory {
            id,
            confirmed: true,
        } => {
            let deleted = sqlx::query!(
                "DELETE FROM categories WHERE id = $1 RETURNING name, emoji",
                id
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = deleted {
                audit(
                    tx,
                    &admin.actor(),
                    "category.delete",
                    ("category", Some(id.to_string())),
                    Some(json!({ "name": row.name, "emoji": row.emoji })),
                    None,
                )
                .await?;
            }
            Reply::edit(categories(tx).await?)
        }
    })
}

fn stale() -> Reply {
    Reply::default().noticed(Some(
        "That button belongs to a step that is over. Start again from the admin menu.".to_owned(),
    ))
}

pub(super) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: Step,
    input: &Input<'_>,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let text = input.text;
    let next = |step: Step| State::Admin(step);
    let ttl = settings.state_ttl;
    Ok(match step {
        Step::ProductCode => {
            let code = text.trim();
            if !valid_code(code) {
                return Ok(vec![ask(
                    "That is not a code: use 1–32 letters, digits, <code>-</code> or <code>_</code>. Send it again.",
                )]);
            }
            let taken = sqlx::query_scalar!(
                "SELECT id FROM products WHERE lower(code) = lower($1)",
                code
            )
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return Ok(vec![ask(format!(
                    "Code <code>{}</code> is taken by another product. Send another code.",
                    escape(code)
                ))]);
            }
            let draft = Draft {
                code: code.to_owned(),
                name: None,
                price: None,
                description: None,
                category: None,
                contents: Vec::new(),
            };
            conversation::save(tx, admin.chat, &next(Step::ProductName { draft }), ttl).await?;
            vec![ask(
                "Step 2/7: send the product <b>name</b> (up to 128 characters).",
            )]
        }
        Step::ProductName { mut draft } => {
            let Some(name) = valid_name(text, 128) else {
                return Ok(vec![ask("A name has 1–128 characters. Send it again.")]);
            };
            draft.name = Some(name);
            conversation::save(tx, admin.chat, &next(Step::ProductPrice { draft }), ttl).await?;
            vec![ask(
                "Step 3/7: send the <b>price</b> in rupiah (e.g. <code>25.000</code>).",
            )]
        }
        Step::ProductPrice { mut draft } => {
            let Some(price) = price(text) else {
                return Ok(vec![ask(
                    "A price is a whole number of rupiah above 0 (e.g. <code>25000</code> or <code>25.000</code>). Send it again.",
                )]);
            };
            draft.price = Some(price);
            conversation::save(
                tx,
                admin.chat,
                &next(Step::ProductDescription { draft }),
                ttl,
            )
            .await?;
            vec![ask(
                "Step 4/7: send the <b>description</b> (<code>-</code> for none).",
            )]
        }
        Step::ProductDescription { mut draft } => {
            draft.description = Some(optional_text(text).unwrap_or_default());
            conversation::save(tx, admin.chat, &next(Step::ProductCategory { draft }), ttl).await?;
            let picker =
                category_picker(tx, |category| WizardPress::WizardCategory { category }).await?;
            let mut buttons = picker.buttons;
            buttons.pop();
            buttons.push(cancel_row());
            vec![Outgoing::text_with(
                "Step 5/7: pick the <b>category</b>.",
                Keyboard::Inline(buttons),
            )]
        }
        Step::ProductCategory { .. } => {
            vec![ask("Pick the category with a button above, or Cancel.")]
        }
        Step::ProductContents { mut draft } => {
            if let Some(document) = &input.document {
                return import(tx, admin, document, ImportTarget::Draft).await;
            }
            let (lines, too_long) = content_lines(text);
            let (added, duplicates) = draft.add(lines);
            let total = draft.contents.len();
            conversation::save(tx, admin.chat, &next(Step::ProductContents { draft }), ttl).await?;
            vec![contents_added(added, duplicates, too_long, total)]
        }
        Step::ProductTerms { product_id } => {
            let terms = optional_text(text);
            save_field(
                tx,
                admin,
                product_id,
                Field::Terms,
                terms.map(FieldValue::Text),
            )
            .await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(product(tx, product_id).await?)]
        }
        Step::ProductSearch => {
            conversation::clear(tx, admin.chat).await?;
            vec![message(search(tx, text).await?)]
        }
        Step::EditProduct { product_id, field } => {
            let value = match field {
                Field::Name => match valid_name(text, 128) {
                    Some(name) => Some(FieldValue::Text(name)),
                    None => return Ok(vec![ask("A name has 1–128 characters. Send it again.")]),
                },
                Field::Price => match price(text) {
                    Some(price) => Some(FieldValue::Number(price)),
                    None => {
                        return Ok(vec![ask(
                            "A price is a whole number of rupiah above 0. Send it again.",
                        )]);
                    }
                },
                Field::Description | Field::Terms => optional_text(text).map(FieldValue::Text),
                Field::LowStock => match text.trim() {
                    "-" => None,
                    number => match number.parse::<i64>() {
                        Ok(n) if (0..=1_000_000).contains(&n) => Some(FieldValue::Number(n)),
                        _ => {
                            return Ok(vec![ask(
                                "Send a whole number (0 or more), or <code>-</code> for none.",
                            )]);
                        }
                    },
                },
            };
            save_field(tx, admin, product_id, field, value).await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(product(tx, product_id).await?)]
        }
        Step::AddStock { product_id } => {
            if let Some(document) = &input.document {
                return import(tx, admin, document, ImportTarget::Product(product_id)).await;
            }
            let (lines, too_long) = content_lines(text);
            let outcome = add_contents(tx, &admin.actor(), product_id, &lines).await?;
            let Some(outcome) = outcome else {
                conversation::clear(tx, admin.chat).await?;
                return Ok(vec![Outgoing::text("That product no longer exists.")]);
            };
            vec![Outgoing::text_with(
                format!(
                    "✅ Added {}; {} duplicate(s) skipped{}. Stock now: <b>{}</b>.\nSend more, or press Done.",
                    outcome.added,
                    outcome.duplicates,
                    too_long_note(too_long),
                    outcome.stock
                ),
                Keyboard::Inline(vec![vec![button(
                    "✅ Done",
                    ProductPress::Product { id: product_id },
                )]]),
            )]
        }
        Step::CategoryName => {
            let Some(name) = valid_name(text, 64) else {
                return Ok(vec![ask(
                    "A category name has 1–64 characters. Send it again.",
                )]);
            };
            let created = sqlx::query_scalar!(
                r#"INSERT INTO categories (name, sort_order)
                   VALUES ($1, coalesce((SELECT max(sort_order) + 1 FROM categories), 0))
                   ON CONFLICT (name) DO NOTHING RETURNING id"#,
                name
            )
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = created else {
                return Ok(vec![ask(
                    "A category with that name exists. Send another name.",
                )]);
            };
            audit(
                tx,
                &admin.actor(),
                "category.create",
                ("category", Some(id.to_string())),
                None,
                Some(json!({ "name": name })),
            )
            .await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(categories(tx).await?)]
        }
        Step::RenameCategory { category_id } => {
            let Some(name) = valid_name(text, 64) else {
                return Ok(vec![ask(
                    "A category name has 1–64 characters. Send it again.",
                )]);
            };
            let taken = sqlx::query_scalar!(
                "SELECT id FROM categories WHERE name = $1 AND id <> $2",
                name,
                category_id
            )
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return Ok(vec![ask(
                    "A category with that name exists. Send another name.",
                )]);
            }
            let before =
                sqlx::query_scalar!("SELECT name FROM categories WHERE id = $1", category_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            sqlx::query!(
                "UPDATE categories SET name = $2 WHERE id = $1",
                category_id,
                name
            )
            .execute(&mut *tx)
            .await?;
            audit(
                tx,
                &admin.actor(),
                "category.rename",
                ("category", Some(category_id.to_string())),
                before.map(|name| json!({ "name": name })),
                Some(json!({ "name": name })),
            )
            .await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(category(tx, category_id).await?)]
        }
        Step::CategoryEmoji { category_id } => {
            let emoji = text.trim();
            if emoji.is_empty() || emoji.chars().count() > 8 {
                return Ok(vec![ask("Send one emoji (up to 8 characters).")]);
            }
            sqlx::query!(
                "UPDATE categories SET emoji = $2 WHERE id = $1",
                category_id,
                emoji
            )
            .execute(&mut *tx)
            .await?;
            audit(
                tx,
                &admin.actor(),
                "category.emoji",
                ("category", Some(category_id.to_string())),
                None,
                Some(json!({ "emoji": emoji })),
            )
            .await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(category(tx, category_id).await?)]
        }
        _ => Vec::new(),
    })
}

/// Queue the download of an uploaded contents file; the import job reports back.
async fn import(
    tx: &mut PgConnection,
    admin: &Admin,
    document: &super::Document<'_>,
    target: ImportTarget,
) -> Result<Vec<Outgoing>, JobError> {
    let is_text = document
        .name
        .is_none_or(|name| name.to_lowercase().ends_with(".txt"));
    if !is_text {
        return Ok(vec![ask(
            "Only a <b>.txt</b> file with one content per line can be imported. Send one, or paste the contents.",
        )]);
    }
    if document.size > MAX_FILE {
        return Ok(vec![ask(format!(
            "That file is {} KiB; the limit is {} KiB. Split it, or paste the contents.",
            document.size / 1024,
            MAX_FILE / 1024
        ))]);
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
    Ok(vec![Outgoing::text("📥 File received; importing…")])
}

pub(crate) fn contents_prompt(total: usize) -> Outgoing {
    Outgoing::text_with(
        format!(
            "Step 6/7: send the <b>contents</b> (what each buyer receives): paste them one per \
             line, many per message, or upload a <b>.txt</b> file. Press ✅ Finish when done \
             ({total} so far)."
        ),
        finish_keyboard(),
    )
}

fn finish_keyboard() -> Keyboard {
    Keyboard::Inline(vec![vec![
        button("✅ Finish", WizardPress::WizardFinish),
        button("❌ Cancel", MenuPress::Cancel),
    ]])
}

pub(crate) fn contents_added(
    added: usize,
    duplicates: usize,
    too_long: usize,
    total: usize,
) -> Outgoing {
    Outgoing::text_with(
        format!(
            "✅ Added {added}; {duplicates} duplicate(s) skipped{}. {total} content(s) so far. \
             Send more, or press ✅ Finish.",
            too_long_note(too_long)
        ),
        finish_keyboard(),
    )
}

pub(crate) fn too_long_note(too_long: usize) -> String {
    if too_long == 0 {
        String::new()
    } else {
        format!("; {too_long} line(s) over 4,000 characters skipped")
    }
}

/// The wizard's end: the product and its contents in one go, then the optional terms.
async fn create_product(
    tx: &mut PgConnection,
    admin: &Admin,
    draft: Draft,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let (Some(name), Some(price)) = (draft.name.clone(), draft.price) else {
        conversation::clear(tx, admin.chat).await?;
        return Ok(vec![Outgoing::text(
            "The wizard lost its answers; start again from the admin menu.",
        )]);
    };
    let created = sqlx::query_scalar!(
        r#"INSERT INTO products (code, name, price, description, category_id)
           VALUES ($1, $2, $3, $4, (SELECT id FROM categories WHERE id = $5))
           ON CONFLICT (code) DO NOTHING RETURNING id"#,
        draft.code,
        name,
        price,
        draft.description.clone().unwrap_or_default(),
        draft.category,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = created else {
        conversation::clear(tx, admin.chat).await?;
        return Ok(vec![Outgoing::text(format!(
            "Code <code>{}</code> was taken meanwhile; nothing was created. Start again with another code.",
            escape(&draft.code)
        ))]);
    };
    let outcome = add_contents(tx, &admin.actor(), id, &draft.contents)
        .await?
        .map_or(0, |o| o.stock);
    audit(
        tx,
        &admin.actor(),
        "product.create",
        ("product", Some(id.to_string())),
        None,
        Some(json!({
            "code": draft.code, "name": name, "price": price,
            "description": draft.description, "category_id": draft.category,
            "contents": draft.contents.len(),
        })),
    )
    .await?;
    conversation::save(
        tx,
        admin.chat,
        &State::Admin(Step::ProductTerms { product_id: id }),
        settings.state_ttl,
    )
    .await?;
    Ok(vec![Outgoing::text_with(
        format!(
            "✅ <b>{}</b> created with stock <b>{outcome}</b>.\nStep 7/7: send its <b>terms (SNK)</b>, \
             shown to buyers after delivery, or press Skip.",
            escape(&name)
        ),
        Keyboard::Inline(vec![vec![button("⏭ Skip", WizardPress::SkipTerms)]]),
    )])
}

pub(crate) struct Added {
    pub added: u64,
    pub duplicates: u64,
    pub stock: i64,
}

/// Add contents to a product, skipping ones it already has; None when the product is gone.
pub(crate) async fn add_contents(
    tx: &mut PgConnection,
    actor: &str,
    product_id: i64,
    lines: &[String],
) -> Result<Option<Added>, JobError> {
    let exists = sqlx::query_scalar!(
        "SELECT id FROM products WHERE id = $1 FOR UPDATE",
        product_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if exists.is_none() {
        return Ok(None);
    }
    let added = sqlx::query!(
        r#"INSERT INTO product_contents (product_id, content)
           SELECT $1, c FROM unnest($2::text[]) AS c
           ON CONFLICT (product_id, content) DO NOTHING"#,
        product_id,
        lines,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let stock = stock_of(tx, product_id).await?;
    if added > 0 {
        audit(
            tx,
            actor,
            "content.add",
            ("product", Some(product_id.to_string())),
            None,
            Some(json!({ "added": added, "stock": stock })),
        )
        .await?;
        sqlx::query!(
            "UPDATE products SET low_stock_alerted_at = NULL WHERE id = $1 AND (low_stock_threshold IS NULL OR $2::bigint >= low_stock_threshold)",
            product_id,
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

async fn stock_of(tx: &mut PgConnection, product_id: i64) -> Result<i64, JobError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM product_contents WHERE product_id = $1 AND state = 'available'"#,
        product_id
    )
    .fetch_one(&mut *tx)
    .await?)
}

enum FieldValue {
    Text(String),
    Number(i64),
}

async fn product_row(
    tx: &mut PgConnection,
    id: i64,
) -> Result<Option<serde_json::Value>, JobError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT to_jsonb(p) - 'created_at' - 'updated_at' AS "row!" FROM products p WHERE id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?)
}

async fn save_field(
    tx: &mut PgConnection,
    admin: &Admin,
    id: i64,
    field: Field,
    value: Option<FieldValue>,
) -> Result<(), JobError> {
    let before = product_row(tx, id).await?;
    let (text, number) = match value {
        Some(FieldValue::Text(text)) => (Some(text), None),
        Some(FieldValue::Number(n)) => (None, Some(n)),
        None => (None, None),
    };
    match field {
        Field::Name => {
            sqlx::query!(
                "UPDATE products SET name = coalesce($2, name), updated_at = now() WHERE id = $1",
                id,
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Price => {
            sqlx::query!(
                "UPDATE products SET price = coalesce($2, price), updated_at = now() WHERE id = $1",
                id,
                number
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Description => {
            sqlx::query!(
                "UPDATE products SET description = coalesce($2, ''), updated_at = now() WHERE id = $1",
                id,
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::Terms => {
            sqlx::query!(
                "UPDATE products SET terms = $2, updated_at = now() WHERE id = $1",
                id,
                text
            )
            .execute(&mut *tx)
            .await?;
        }
        Field::LowStock => {
            let threshold = number.and_then(|n| i32::try_from(n).ok());
            sqlx::query!(
                "UPDATE products SET low_stock_threshold = $2, low_stock_alerted_at = NULL, updated_at = now() WHERE id = $1",
                id,
                threshold
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    let after = product_row(tx, id).await?;
    audit(
        tx,
        &admin.actor(),
        "product.update",
        ("product", Some(id.to_string())),
        before,
        after,
    )
    .await
}

fn valid_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn valid_name(text: &str, max: usize) -> Option<String> {
    let name = text.trim();
    (!name.is_empty() && name.chars().count() <= max).then(|| name.to_owned())
}

/// `-` (or nothing) for none.
fn optional_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text != "-").then(|| text.chars().take(4000).collect())
}

fn price(text: &str) -> Option<i64> {
    crate::shop::money::amount(text).filter(|p| (1..=1_000_000_000_000).contains(p))
}

/// `ab••••yz`: enough to recognise a content, not enough to use it.
pub(crate) fn mask(content: &str) -> String {
    let chars: Vec<char> = content.chars().collect();
    if chars.len() <= 4 {
        return "•".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}••••{tail}")
}

async fn products(tx: &mut PgConnection, page: u32) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"
        SELECT p.id, p.code, p.name, p.price, p.status,
               count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
               count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!",
               count(*) OVER () AS "total!"
        FROM products p LEFT JOIN product_contents pc ON pc.product_id = p.id
        GROUP BY p.id
        ORDER BY p.status, p.name, p.id
        LIMIT $1 OFFSET $2
        "#,
        PAGE,
        i64::from(page) * PAGE
    )
    .fetch_all(&mut *tx)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            let archived = if row.status == "archived" {
                "🗄 "
            } else {
                ""
            };
            vec![button(
                format!(
                    "{archived}{} · {} · stock {} · sold {}",
                    row.name,
                    rupiah(row.price),
                    row.stock,
                    row.sold
                ),
                ProductPress::Product { id: row.id },
            )]
        })
        .collect();
    let more = i64::from(page + 1) * PAGE < total;
    paging(&mut buttons, page, more, |page| ProductPress::Products {
        page,
    });
    buttons.push(vec![
        button("➕ New product", WizardPress::NewProduct),
        button("🔎 Search", ProductPress::SearchProducts),
    ]);
    buttons.push(back(MenuPress::Home));
    Ok(Screen {
        text: format!("🛒 <b>Products</b> ({total}) — stock and sold counts; 🗄 archived."),
        buttons,
    })
}

async fn search(tx: &mut PgConnection, query: &str) -> Result<Screen, JobError> {
    let pattern = format!(
        "%{}%",
        query
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows = sqlx::query!(
        r#"SELECT id, name, code, status FROM products
           WHERE name ILIKE $1 OR code ILIKE $1 ORDER BY name LIMIT 20"#,
        pattern
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            vec![button(
                format!(
                    "{} ({}){}",
                    row.name,
                    row.code,
                    if row.status == "archived" {
                        " 🗄"
                    } else {
                        ""
                    }
                ),
                ProductPress::Product { id: row.id },
            )]
        })
        .collect();
    buttons.push(back(ProductPress::Products { page: 0 }));
    Ok(Screen {
        text: format!(
            "🔎 {} product(s) matching <b>{}</b>.",
            rows.len(),
            escape(query.trim())
        ),
        buttons,
    })
}

pub(crate) async fn product(tx: &mut PgConnection, id: i64) -> Result<Screen, JobError> {
    let row = sqlx::query!(
        r#"
        SELECT p.code, p.name, p.price, p.description, p.terms, p.status, p.low_stock_threshold,
               c.name AS "category?", c.emoji AS "emoji?",
               count(pc.id) FILTER (WHERE pc.state = 'available') AS "stock!",
               count(pc.id) FILTER (WHERE pc.state = 'reserved') AS "reserved!",
               count(pc.id) FILTER (WHERE pc.state = 'sold') AS "sold!"
        FROM products p
        LEFT JOIN categories c ON c.id = p.category_id
        LEFT JOIN product_contents pc ON pc.product_id = p.id
        WHERE p.id = $1
        GROUP BY p.id, c.id
        "#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Screen {
            text: "That product does not exist.".to_owned(),
            buttons: vec![back(ProductPress::Products { page: 0 })],
        });
    };
    let archived = row.status == "archived";
    let category = match (&row.category, &row.emoji) {
        (Some(name), Some(emoji)) => format!("{emoji} {}", escape(name)),
        _ => "uncategorised".to_owned(),
    };
    let text = format!(
        "📦 <b>{}</b> (<code>{}</code>){}\nPrice: {}\nCategory: {category}\nStock: <b>{}</b> · reserved {} · sold {}\nLow-stock alert below: {}\n\n{}\n\n<b>Terms:</b> {}",
        escape(&row.name),
        escape(&row.code),
        if archived { " — 🗄 archived" } else { "" },
        rupiah(row.price),
        row.stock,
        row.reserved,
        row.sold,
        row.low_stock_threshold
            .map_or_else(|| "off".to_owned(), |n| n.to_string()),
        if row.description.is_empty() {
            "<i>no description</i>".to_owned()
        } else {
            escape(&row.description)
        },
        row.terms
            .as_deref()
            .map_or_else(|| "<i>none</i>".to_owned(), escape),
    );
    let edit = |label: &str, field| button(label, ProductPress::Edit { id, field });
    Ok(Screen {
        text,
        buttons: vec![
            vec![edit("✏️ Name", Field::Name), edit("💰 Price", Field::Price)],
            vec![
                edit("📄 Description", Field::Description),
                edit("📜 Terms", Field::Terms),
            ],
            vec![
                button("🗂 Category", ProductPress::PickCategory { id }),
                edit("⚠️ Low stock", Field::LowStock),
            ],
            vec![
                button("📥 Add stock", StockPress::AddStock { id }),
                button("📋 Contents", StockPress::Stock { id, page: 0 }),
            ],
            vec![if archived {
                button(
                    "♻️ Unarchive",
                    ProductPress::Archive {
                        id,
                        archived: false,
                    },
                )
            } else {
                button("🗄 Archive", ProductPress::Archive { id, archived: true })
            }],
            back(ProductPress::Products { page: 0 }),
        ],
    })
}

/// Unused contents, masked, each with a delete button.
async fn stock(tx: &mut PgConnection, product_id: i64, page: u32) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"SELECT id, content, count(*) OVER () AS "total!" FROM product_contents
           WHERE product_id = $1 AND state = 'available' ORDER BY id LIMIT $2 OFFSET $3"#,
        product_id,
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
                StockPress::DeleteContent { content: row.id },
            )]
        })
        .collect();
    let more = i64::from(page + 1) * PAGE < total;
    paging(&mut buttons, page, more, |page| StockPress::Stock {
        id: product_id,
        page,
    });
    buttons.push(back(ProductPress::Product { id: product_id }));
    Ok(Screen {
        text: format!("📋 <b>Unused contents</b>: {total}. Shown masked; press one to delete it."),
        buttons,
    })
}

async fn categories(tx: &mut PgConnection) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"SELECT c.id, c.name, c.emoji, count(p.id) AS "products!"
           FROM categories c LEFT JOIN products p ON p.category_id = c.id
           GROUP BY c.id ORDER BY c.sort_order, c.name"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            vec![
                button(
                    format!("{} {} ({})", row.emoji, row.name, row.products),
                    CategoryPress::Category { id: row.id },
                ),
                button(
                    "🔼",
                    CategoryPress::MoveCategory {
                        id: row.id,
                        up: true,
                    },
                ),
                button(
                    "🔽",
                    CategoryPress::MoveCategory {
                        id: row.id,
                        up: false,
                    },
                ),
            ]
        })
        .collect();
    buttons.push(vec![button("➕ New category", CategoryPress::NewCategory)]);
    buttons.push(back(MenuPress::Home));
    Ok(Screen {
        text: format!(
            "🗂 <b>Categories</b> ({}), in the order customers see them.",
            rows.len()
        ),
        buttons,
    })
}

async fn category(tx: &mut PgConnection, id: i64) -> Result<Screen, JobError> {
    let row = sqlx::query!(
        r#"SELECT c.name, c.emoji, count(p.id) AS "products!"
           FROM categories c LEFT JOIN products p ON p.category_id = c.id
           WHERE c.id = $1 GROUP BY c.id"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Screen {
            text: "That category does not exist.".to_owned(),
            buttons: vec![back(CategoryPress::Categories)],
        });
    };
    Ok(Screen {
        text: format!(
            "{} <b>{}</b> — {} product(s)",
            row.emoji,
            escape(&row.name),
            row.products
        ),
        buttons: vec![
            vec![
                button("✏️ Rename", CategoryPress::RenameCategory { id }),
                button("😀 Emoji", CategoryPress::CategoryEmoji { id }),
            ],
            vec![button(
                "🗑 Delete",
                CategoryPress::DeleteCategory {
                    id,
                    confirmed: false,
                },
            )],
            back(CategoryPress::Categories),
        ],
    })
}

/// Swap a category with its neighbour above or below.
async fn move_category(tx: &mut PgConnection, id: i64, up: bool) -> Result<(), JobError> {
    sqlx::query!(
        r#"
        WITH ordered AS (
            SELECT id, row_number() OVER (ORDER BY sort_order, name) AS n FROM categories
        ), me AS (SELECT n FROM ordered WHERE id = $1),
        renumbered AS (
            SELECT o.id,
                   CASE WHEN o.id = $1 THEN o.n + CASE WHEN $2 THEN -1 ELSE 1 END
                        WHEN o.n = (SELECT n FROM me) + CASE WHEN $2 THEN -1 ELSE 1 END THEN (SELECT n FROM me)
                        ELSE o.n END AS n
            FROM ordered o
        )
        UPDATE categories c SET sort_order = r.n FROM renumbered r WHERE c.id = r.id
        "#,
        id,
        up
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Every category as a button leading to `to(Some(id))`, plus "none" (`to(None)`) and back.
async fn category_picker<P: Into<AdminCallback>>(
    tx: &mut PgConnection,
    to: impl Fn(Option<i64>) -> P,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!("SELECT id, name, emoji FROM categories ORDER BY sort_order, name")
        .fetch_all(&mut *tx)
        .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            vec![button(
                format!("{} {}", row.emoji, row.name),
                to(Some(row.id)),
            )]
        })
        .collect();
    buttons.push(vec![button("— Uncategorised", to(None))]);
    buttons.push(back(MenuPress::Home));
    Ok(Screen {
        text: "Pick a category.".to_owned(),
        buttons,
    })
}
