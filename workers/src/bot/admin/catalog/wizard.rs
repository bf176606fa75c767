//! The add-product wizard: code, name, price (or several variants, one per line),
//! description, category, contents (for a product of one variant), terms.

use serde_json::json;
use sqlx::PgConnection;

use super::super::{
    Admin, Change, Draft, Input, Step, ask, button, cancel_row, content_lines, wait_for,
};
use super::categories::category_picker;
use super::products::{FieldValue, product, save_field};
use super::stock::{add_contents, contents_added, import};
use super::variants::{NewVariant, create_variants, parse_variants};
use super::{optional_text, price, stale, valid_code, valid_name};
use crate::JobError;
use crate::bot::admin::callback::Field;
use crate::bot::admin::callback::MenuPress;
use crate::bot::conversation::{self, State};
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::shop::ids::{CategoryId, ProductId};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::texts::{CatalogText as C, OpsText, PriceText as P, Texts};
use crate::ui::{Keyboard, Outgoing};
use jobs::catalogue::ImportTarget;

/// What the bot waits for from an admin in the add-product wizard.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum WizardStep {
    ProductCode,
    ProductName {
        draft: Draft,
    },
    ProductPrice {
        draft: Draft,
    },
    ProductDescription {
        draft: Draft,
    },
    /// Waiting for a category button.
    ProductCategory {
        draft: Draft,
    },
    /// Contents pasted or uploaded until "Finish".
    ProductContents {
        draft: Draft,
    },
    ProductTerms {
        product_id: ProductId,
    },
}

callbacks! {
    /// An admin's press on the add-product wizard.
    pub enum WizardPress = "a:" {
        NewProduct = "pn",
        /// The wizard's category choice (None: uncategorised).
        WizardCategory { category: Option<CategoryId> } = "wc",
        /// The wizard's contents are complete: create the product.
        WizardFinish = "wf",
        /// No terms for the product just created.
        SkipTerms = "wt",
    }
}

impl Checked for WizardPress {}

/// A press inside the add-product wizard.
pub(in crate::bot::admin) async fn on_wizard(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: WizardPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        WizardPress::NewProduct => {
            let question = t.get(C::WizardCode).to_owned();
            return wait_for(tx, admin, WizardStep::ProductCode, question, settings).await;
        }
        WizardPress::WizardCategory { category } => match conversation::load(tx, admin.chat).await?
        {
            conversation::Loaded::Live(State::Admin(Step::Wizard(
                WizardStep::ProductCategory { mut draft },
            ))) => {
                draft.category = category;
                if !draft.variants.is_empty() {
                    // Several variants: their stock is added per variant, after.
                    return Ok(Reply {
                        send: create_product(tx, admin, draft, settings).await?,
                        ..Reply::default()
                    });
                }
                conversation::save(
                    tx,
                    admin.chat,
                    &State::Admin(Step::Wizard(WizardStep::ProductContents { draft })),
                    settings.state_ttl,
                )
                .await?;
                Reply {
                    send: vec![contents_prompt(t, 0)],
                    ..Reply::default()
                }
            }
            _ => stale(t),
        },
        WizardPress::WizardFinish => match conversation::load(tx, admin.chat).await? {
            conversation::Loaded::Live(State::Admin(Step::Wizard(
                WizardStep::ProductContents { draft },
            ))) => Reply {
                send: create_product(tx, admin, draft, settings).await?,
                ..Reply::default()
            },
            _ => stale(t),
        },
        WizardPress::SkipTerms => match conversation::load(tx, admin.chat).await? {
            conversation::Loaded::Live(State::Admin(Step::Wizard(WizardStep::ProductTerms {
                product_id,
            }))) => {
                conversation::clear(tx, admin.chat).await?;
                Reply {
                    send: vec![message(product(tx, t, product_id).await?)],
                    ..Reply::default()
                }
            }
            _ => stale(t),
        },
    })
}

pub(in crate::bot::admin) fn contents_prompt(t: &Texts, total: usize) -> Outgoing {
    Outgoing::text_with(
        t.render(C::WizardContents, &[("total", &total.to_string())]),
        finish_keyboard(t),
    )
}

pub(in crate::bot::admin) fn finish_keyboard(t: &Texts) -> Keyboard {
    Keyboard::Inline(vec![vec![
        button(t.get(C::FinishButton), WizardPress::WizardFinish),
        button(t.get(OpsText::CancelButton), MenuPress::Cancel),
    ]])
}

/// The wizard's end: the product and its contents in one go, then the optional terms.
pub(in crate::bot::admin) async fn create_product(
    tx: &mut PgConnection,
    admin: &Admin,
    draft: Draft,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let (Some(name), Some(price)) = (draft.name.clone(), draft.price) else {
        conversation::clear(tx, admin.chat).await?;
        return Ok(vec![Outgoing::text(t.get(C::WizardLost))]);
    };
    let created = sqlx::query_scalar!(
        r#"INSERT INTO products (code, name, description, category_id)
           VALUES ($1, $2, $3, (SELECT id FROM categories WHERE id = $4))
           ON CONFLICT (code) DO NOTHING RETURNING id"#,
        draft.code,
        name,
        draft.description.clone().unwrap_or_default(),
        draft.category.map(CategoryId::get),
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = created else {
        conversation::clear(tx, admin.chat).await?;
        let taken = t.render(C::CodeTakenMeanwhile, &[("code", &escape(&draft.code))]);
        return Ok(vec![Outgoing::text(taken)]);
    };
    let several = !draft.variants.is_empty();
    let variants = if several {
        draft.variants.clone()
    } else {
        vec![NewVariant {
            code: draft.code.clone(),
            name: name.chars().take(64).collect(),
            price,
        }]
    };
    let actor = admin.actor();
    let ids = match create_variants(tx, t, &actor, ProductId(id), &variants).await? {
        Ok(ids) => ids,
        Err(why) => {
            // A code taken since the wizard checked it: nothing of the product is kept.
            sqlx::query!("DELETE FROM products WHERE id = $1", id)
                .execute(&mut *tx)
                .await?;
            conversation::clear(tx, admin.chat).await?;
            return Ok(vec![Outgoing::text(why)]);
        }
    };
    let outcome = match ids.first() {
        Some(first) if !several => add_contents(tx, &actor, *first, &draft.contents)
            .await?
            .map_or(0, |o| o.stock),
        _ => 0,
    };
    let change = Change::of("product.create", "product", id).after(json!({
        "code": draft.code, "name": name, "variants": variants, "description": draft.description,
        "category_id": draft.category, "contents": draft.contents.len(),
    }));
    admin.audit(tx, change).await?;
    conversation::save(
        tx,
        admin.chat,
        &State::Admin(Step::Wizard(WizardStep::ProductTerms {
            product_id: ProductId(id),
        })),
        settings.state_ttl,
    )
    .await?;
    let created = if several {
        t.render(
            P::CreatedVariants,
            &[
                ("name", &escape(&name)),
                ("count", &variants.len().to_string()),
            ],
        )
    } else {
        t.render(
            C::Created,
            &[("name", &escape(&name)), ("stock", &outcome.to_string())],
        )
    };
    Ok(vec![Outgoing::text_with(
        created,
        Keyboard::Inline(vec![vec![button(
            t.get(C::SkipButton),
            WizardPress::SkipTerms,
        )]]),
    )])
}

/// An admin's answer to a step of the add-product wizard.
pub(in crate::bot::admin) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: WizardStep,
    input: &Input<'_>,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let text = input.text;
    let next = |step: WizardStep| State::Admin(step.into());
    let ttl = settings.state_ttl;
    let t = &admin.t;
    let again = |text: C| Ok(vec![ask(t, t.get(text))]);
    Ok(match step {
        WizardStep::ProductCode => {
            let code = text.trim();
            if !valid_code(code) {
                return again(C::BadCode);
            }
            let taken = sqlx::query_scalar!(
                r#"SELECT id AS "id!" FROM products WHERE lower(code) = lower($1)
                   UNION ALL SELECT id FROM product_variants WHERE lower(code) = lower($1)"#,
                code
            )
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return Ok(vec![ask(
                    t,
                    t.render(C::CodeTaken, &[("code", &escape(code))]),
                )]);
            }
            let draft = Draft {
                code: code.to_owned(),
                name: None,
                price: None,
                description: None,
                category: None,
                contents: Vec::new(),
                variants: Vec::new(),
            };
            conversation::save(
                tx,
                admin.chat,
                &next(WizardStep::ProductName { draft }),
                ttl,
            )
            .await?;
            vec![ask(t, t.get(C::WizardName))]
        }
        WizardStep::ProductName { mut draft } => {
            let Some(name) = valid_name(text, 128) else {
                return again(C::BadName);
            };
            draft.name = Some(name);
            conversation::save(
                tx,
                admin.chat,
                &next(WizardStep::ProductPrice { draft }),
                ttl,
            )
            .await?;
            vec![ask(t, t.get(P::WizardPrice))]
        }
        WizardStep::ProductPrice { mut draft } => {
            if text.contains('|') {
                match parse_variants(t, text) {
                    Ok(variants) => draft.variants = variants,
                    Err(why) => return Ok(vec![ask(t, why)]),
                }
                draft.price = draft.variants.iter().map(|v| v.price).min();
            } else {
                let Some(price) = price(text) else {
                    return again(C::WizardBadPrice);
                };
                draft.price = Some(price);
            }
            conversation::save(
                tx,
                admin.chat,
                &next(WizardStep::ProductDescription { draft }),
                ttl,
            )
            .await?;
            vec![ask(t, t.get(C::WizardDescription))]
        }
        WizardStep::ProductDescription { mut draft } => {
            draft.description = Some(optional_text(text).unwrap_or_default());
            conversation::save(
                tx,
                admin.chat,
                &next(WizardStep::ProductCategory { draft }),
                ttl,
            )
            .await?;
            let picker =
                category_picker(tx, t, |category| WizardPress::WizardCategory { category }).await?;
            let mut buttons = picker.buttons;
            buttons.pop();
            buttons.push(cancel_row(t));
            vec![Outgoing::text_with(
                t.get(C::WizardCategory),
                Keyboard::Inline(buttons),
            )]
        }
        WizardStep::ProductCategory { .. } => return again(C::WizardPickCategory),
        WizardStep::ProductContents { mut draft } => {
            if let Some(document) = &input.document {
                return import(tx, admin, document, ImportTarget::Draft).await;
            }
            let (lines, too_long) = content_lines(text);
            let (added, duplicates) = draft.add(lines);
            let total = draft.contents.len();
            conversation::save(
                tx,
                admin.chat,
                &next(WizardStep::ProductContents { draft }),
                ttl,
            )
            .await?;
            vec![contents_added(t, added, duplicates, too_long, total)]
        }
        WizardStep::ProductTerms { product_id } => {
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
            vec![message(product(tx, t, product_id).await?)]
        }
    })
}
