//! Categories: the list, new, rename, emoji, order and delete, and the picker other screens use.

use serde_json::json;
use sqlx::PgConnection;

use super::super::{Admin, Change, Input, ask, back, button, wait_for};
use super::valid_name;
use crate::JobError;
use crate::bot::admin::callback::{AdminCallback, MenuPress};
use crate::bot::conversation::{self};
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::shop::ids::CategoryId;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::Screen;
use crate::ui::texts::{CatalogText as C, Texts};
use crate::ui::{Button, Outgoing};

/// What the bot waits for from an admin in a category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum CategoryStep {
    CategoryName,
    RenameCategory { category_id: CategoryId },
    CategoryEmoji { category_id: CategoryId },
}

callbacks! {
    /// An admin's press on categories.
    pub enum CategoryPress = "a:" {
        Categories = "cs",
        NewCategory = "cn",
        Category { id: CategoryId } = "c",
        RenameCategory { id: CategoryId } = "cr",
        CategoryEmoji { id: CategoryId } = "ce",
        MoveCategory { id: CategoryId, up: bool } = "cm",
        DeleteCategory { id: CategoryId, confirmed: bool } = "cd",
    }
}

impl Checked for CategoryPress {}

/// A press on the categories.
pub(in crate::bot::admin) async fn on_category(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: CategoryPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    Ok(match pressed {
        CategoryPress::Categories => Reply::edit(categories(tx, t).await?),
        CategoryPress::NewCategory => {
            let step = CategoryStep::CategoryName;
            return wait_for(tx, admin, step, t.get(C::AskCategoryName), settings).await;
        }
        CategoryPress::Category { id } => Reply::edit(category(tx, t, id).await?),
        CategoryPress::RenameCategory { id } => {
            let step = CategoryStep::RenameCategory { category_id: id };
            return wait_for(tx, admin, step, t.get(C::AskRename), settings).await;
        }
        CategoryPress::CategoryEmoji { id } => {
            let step = CategoryStep::CategoryEmoji { category_id: id };
            return wait_for(tx, admin, step, t.get(C::AskEmoji), settings).await;
        }
        CategoryPress::MoveCategory { id, up } => {
            move_category(tx, id, up).await?;
            let change = Change::of("category.move", "category", id)
                .after(json!({ "direction": if up { "up" } else { "down" } }));
            admin.audit(tx, change).await?;
            Reply::edit(categories(tx, t).await?)
        }
        CategoryPress::DeleteCategory {
            id,
            confirmed: false,
        } => Reply::edit(Screen {
            text: t.get(C::ConfirmDelete).to_owned(),
            buttons: vec![
                vec![button(
                    t.get(C::YesDelete),
                    CategoryPress::DeleteCategory {
                        id,
                        confirmed: true,
                    },
                )],
                back(t, CategoryPress::Category { id }),
            ],
        }),
        CategoryPress::DeleteCategory {
            id,
            confirmed: true,
        } => {
            let deleted = sqlx::query!(
                "DELETE FROM categories WHERE id = $1 RETURNING name, emoji",
                id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = deleted {
                let change = Change::of("category.delete", "category", id)
                    .before(json!({ "name": row.name, "emoji": row.emoji }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(categories(tx, t).await?)
        }
    })
}

pub(in crate::bot::admin) async fn categories(
    tx: &mut PgConnection,
    t: &Texts,
) -> Result<Screen, JobError> {
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
                    CategoryPress::Category {
                        id: CategoryId(row.id),
                    },
                ),
                button(
                    "🔼",
                    CategoryPress::MoveCategory {
                        id: CategoryId(row.id),
                        up: true,
                    },
                ),
                button(
                    "🔽",
                    CategoryPress::MoveCategory {
                        id: CategoryId(row.id),
                        up: false,
                    },
                ),
            ]
        })
        .collect();
    buttons.push(vec![button(
        t.get(C::NewCategoryButton),
        CategoryPress::NewCategory,
    )]);
    buttons.push(back(t, MenuPress::Home));
    Ok(Screen {
        text: t.render(C::CategoriesHeader, &[("count", &rows.len().to_string())]),
        buttons,
    })
}

pub(in crate::bot::admin) async fn category(
    tx: &mut PgConnection,
    t: &Texts,
    id: CategoryId,
) -> Result<Screen, JobError> {
    let row = sqlx::query!(
        r#"SELECT c.name, c.emoji, count(p.id) AS "products!"
           FROM categories c LEFT JOIN products p ON p.category_id = c.id
           WHERE c.id = $1 GROUP BY c.id"#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Screen {
            text: t.get(C::CategoryGone).to_owned(),
            buttons: vec![back(t, CategoryPress::Categories)],
        });
    };
    Ok(Screen {
        text: t.render(
            C::CategoryDetail,
            &[
                ("emoji", &row.emoji),
                ("name", &escape(&row.name)),
                ("count", &row.products.to_string()),
            ],
        ),
        buttons: vec![
            vec![
                button(t.get(C::RenameButton), CategoryPress::RenameCategory { id }),
                button(t.get(C::EmojiButton), CategoryPress::CategoryEmoji { id }),
            ],
            vec![button(
                t.get(C::DeleteButton),
                CategoryPress::DeleteCategory {
                    id,
                    confirmed: false,
                },
            )],
            back(t, CategoryPress::Categories),
        ],
    })
}

/// Swap a category with its neighbour above or below.
pub(in crate::bot::admin) async fn move_category(
    tx: &mut PgConnection,
    id: CategoryId,
    up: bool,
) -> Result<(), JobError> {
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
        id.get(),
        up
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Every category as a button leading to `to(Some(id))`, plus "none" (`to(None)`) and back.
pub(in crate::bot::admin) async fn category_picker<P: Into<AdminCallback>>(
    tx: &mut PgConnection,
    t: &Texts,
    to: impl Fn(Option<CategoryId>) -> P,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!("SELECT id, name, emoji FROM categories ORDER BY sort_order, name")
        .fetch_all(&mut *tx)
        .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            vec![button(
                format!("{} {}", row.emoji, row.name),
                to(Some(CategoryId(row.id))),
            )]
        })
        .collect();
    buttons.push(vec![button(t.get(C::NoCategory), to(None))]);
    buttons.push(back(t, MenuPress::Home));
    Ok(Screen {
        text: t.get(C::PickCategory).to_owned(),
        buttons,
    })
}

/// An admin's answer about a category (its name or emoji).
pub(in crate::bot::admin) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: CategoryStep,
    input: &Input<'_>,
) -> Result<Vec<Outgoing>, JobError> {
    let text = input.text;
    let t = &admin.t;
    let again = |text: C| Ok(vec![ask(t, t.get(text))]);
    Ok(match step {
        CategoryStep::CategoryName => {
            let Some(name) = valid_name(text, 64) else {
                return again(C::BadCategoryName);
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
                return again(C::CategoryExists);
            };
            let change =
                Change::of("category.create", "category", id).after(json!({ "name": name }));
            admin.audit(tx, change).await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(categories(tx, t).await?)]
        }
        CategoryStep::RenameCategory { category_id } => {
            let Some(name) = valid_name(text, 64) else {
                return again(C::BadCategoryName);
            };
            let taken = sqlx::query_scalar!(
                "SELECT id FROM categories WHERE name = $1 AND id <> $2",
                name,
                category_id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return again(C::CategoryExists);
            }
            let before = sqlx::query_scalar!(
                "SELECT name FROM categories WHERE id = $1",
                category_id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query!(
                "UPDATE categories SET name = $2 WHERE id = $1",
                category_id.get(),
                name
            )
            .execute(&mut *tx)
            .await?;
            let change = Change::of("category.rename", "category", category_id)
                .before(before.map(|name| json!({ "name": name })))
                .after(json!({ "name": name }));
            admin.audit(tx, change).await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(category(tx, t, category_id).await?)]
        }
        CategoryStep::CategoryEmoji { category_id } => {
            let emoji = text.trim();
            if emoji.is_empty() || emoji.chars().count() > 8 {
                return again(C::BadEmoji);
            }
            sqlx::query!(
                "UPDATE categories SET emoji = $2 WHERE id = $1",
                category_id.get(),
                emoji
            )
            .execute(&mut *tx)
            .await?;
            let change = Change::of("category.emoji", "category", category_id)
                .after(json!({ "emoji": emoji }));
            admin.audit(tx, change).await?;
            conversation::clear(tx, admin.chat).await?;
            vec![message(category(tx, t, category_id).await?)]
        }
    })
}
