//! Categories: the list, new, rename, emoji, order and delete, and the picker other screens use.

use serde_json::json;
use sqlx::PgConnection;

use super::super::{Admin, Input, ask, audit, back, button, wait_for};
use super::valid_name;
use crate::JobError;
use crate::bot::admin::callback::{AdminCallback, MenuPress};
use crate::bot::conversation::{self};
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::Screen;
use crate::ui::{Button, Outgoing};

/// What the bot waits for from an admin in a category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum CategoryStep {
    CategoryName,
    RenameCategory { category_id: i64 },
    CategoryEmoji { category_id: i64 },
}

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

/// A press on the categories.
pub(in crate::bot::admin) async fn on_category(
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
                CategoryStep::CategoryName,
                "Send the new category's <b>name</b> (up to 64 characters).",
                settings,
            )
            .await;
        }
        CategoryPress::Category { id } => Reply::edit(category(tx, id).await?),
        CategoryPress::RenameCategory { id } => {
            let step = CategoryStep::RenameCategory { category_id: id };
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
            let step = CategoryStep::CategoryEmoji { category_id: id };
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

pub(in crate::bot::admin) async fn categories(tx: &mut PgConnection) -> Result<Screen, JobError> {
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

pub(in crate::bot::admin) async fn category(
    tx: &mut PgConnection,
    id: i64,
) -> Result<Screen, JobError> {
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
pub(in crate::bot::admin) async fn move_category(
    tx: &mut PgConnection,
    id: i64,
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
        id,
        up
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Every category as a button leading to `to(Some(id))`, plus "none" (`to(None)`) and back.
pub(in crate::bot::admin) async fn category_picker<P: Into<AdminCallback>>(
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

/// An admin's answer about a category (its name or emoji).
pub(in crate::bot::admin) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: CategoryStep,
    input: &Input<'_>,
) -> Result<Vec<Outgoing>, JobError> {
    let text = input.text;
    Ok(match step {
        CategoryStep::CategoryName => {
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
        CategoryStep::RenameCategory { category_id } => {
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
        CategoryStep::CategoryEmoji { category_id } => {
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
    })
}
