//! Who runs the shop: admins added and removed by an owner inside the bot (configured owners
//! and admins are listed, not editable here), and the audit log.

use serde_json::json;
use sqlx::PgConnection;

use super::callback::AdminCallback as A;
use super::{Admin, Step, ask, audit, back, button, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::screen::Screen;
use crate::bot::{BotSettings, Reply};
use crate::payments::expiry;
use crate::telegram::html::escape;
use crate::telegram::{Keyboard, Outgoing};

const AUDIT_PAGE: i64 = 15;

fn owners_only() -> Reply {
    Reply::default().noticed(Some("Only an owner manages admins.".to_owned()))
}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: A,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    if !admin.owner {
        tracing::warn!(user = admin.telegram_id, "an admin tried an owner's action");
        return Ok(owners_only());
    }
    Ok(match pressed {
        A::Admins => Reply::edit(admins(tx, settings).await?),
        A::NewAdmin => {
            return wait_for(
                tx,
                admin,
                Step::NewAdmin,
                "👑 Send the new admin's Telegram id (they find it with @userinfobot).",
                settings,
            )
            .await;
        }
        A::RemoveAdmin { telegram_id } => {
            let removed = sqlx::query_scalar!(
                "DELETE FROM admins WHERE telegram_id = $1 AND role = 'admin' RETURNING telegram_id",
                telegram_id
            )
            .fetch_optional(&mut *tx)
            .await?;
            if removed.is_some() {
                audit(
                    tx,
                    &admin.actor(),
                    "admin.remove",
                    ("admin", Some(telegram_id.to_string())),
                    Some(json!({ "role": "admin" })),
                    None,
                )
                .await?;
            }
            Reply::edit(admins(tx, settings).await?)
        }
        _ => Reply::default(),
    })
}

pub(super) async fn add_admin(
    tx: &mut PgConnection,
    admin: &Admin,
    text: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    if !admin.owner {
        conversation::clear(tx, admin.chat).await?;
        return Ok(vec![Outgoing::text("Only an owner manages admins.")]);
    }
    let Ok(telegram_id) = text.trim().parse::<i64>() else {
        return Ok(vec![ask("A Telegram id is digits only. Send it again.")]);
    };
    if telegram_id <= 0 {
        return Ok(vec![ask(
            "A Telegram id is a positive number. Send it again.",
        )]);
    }
    let added = sqlx::query_scalar!(
        r#"INSERT INTO admins (telegram_id, role, added_by) VALUES ($1, 'admin', $2)
           ON CONFLICT (telegram_id) DO NOTHING RETURNING telegram_id"#,
        telegram_id,
        admin.telegram_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if added.is_some() {
        audit(
            tx,
            &admin.actor(),
            "admin.add",
            ("admin", Some(telegram_id.to_string())),
            None,
            Some(json!({ "role": "admin" })),
        )
        .await?;
    }
    conversation::clear(tx, admin.chat).await?;
    let screen = admins(tx, settings).await?;
    Ok(vec![Outgoing::text_with(
        screen.text,
        Keyboard::Inline(screen.buttons),
    )])
}

async fn admins(tx: &mut PgConnection, settings: &BotSettings) -> Result<Screen, JobError> {
    let stored = sqlx::query!("SELECT telegram_id, role, added_by FROM admins ORDER BY created_at")
        .fetch_all(&mut *tx)
        .await?;
    let configured = |ids: &[i64]| {
        ids.iter()
            .map(|id| format!("<code>{id}</code>"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut buttons: Vec<Vec<_>> = stored
        .iter()
        .filter(|a| a.role == "admin")
        .map(|a| {
            vec![button(
                format!("➖ Remove {}", a.telegram_id),
                A::RemoveAdmin {
                    telegram_id: a.telegram_id,
                },
            )]
        })
        .collect();
    buttons.push(vec![button("➕ Add admin", A::NewAdmin)]);
    buttons.push(back(A::Home));
    let added = stored
        .iter()
        .map(|a| {
            format!(
                "<code>{}</code> {}{}",
                a.telegram_id,
                a.role,
                a.added_by
                    .map(|by| format!(" (by {by})"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Screen {
        text: format!(
            "👑 <b>Admins</b>\nOwners (configuration): {}\nAdmins (configuration): {}\nAdded in the bot:\n{}",
            configured(&settings.owner_ids),
            configured(&settings.admin_ids),
            if added.is_empty() {
                "—".to_owned()
            } else {
                added
            },
        ),
        buttons,
    })
}

pub(super) async fn audit_log(
    tx: &mut PgConnection,
    page: u32,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"SELECT at, actor, action, entity_type, entity_id FROM audit_log
           ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2"#,
        AUDIT_PAGE + 1,
        i64::from(page) * AUDIT_PAGE
    )
    .fetch_all(&mut *tx)
    .await?;
    let more = rows.len() > usize::try_from(AUDIT_PAGE).unwrap_or(usize::MAX);
    let lines: Vec<String> = rows
        .iter()
        .take(usize::try_from(AUDIT_PAGE).unwrap_or(usize::MAX))
        .map(|r| {
            format!(
                "{} <b>{}</b> {} {}{}",
                expiry(r.at, settings.timezone),
                escape(&r.action),
                escape(&r.actor),
                escape(&r.entity_type),
                r.entity_id
                    .as_deref()
                    .map(|id| format!(" {}", escape(id)))
                    .unwrap_or_default()
            )
        })
        .collect();
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(button("◀️ Newer", A::Audit { page: page - 1 }));
    }
    if more {
        nav.push(button("Older ▶️", A::Audit { page: page + 1 }));
    }
    let mut buttons = Vec::new();
    if !nav.is_empty() {
        buttons.push(nav);
    }
    buttons.push(back(A::Home));
    Ok(Screen {
        text: format!(
            "📜 <b>Audit log</b> (newest first)\n{}",
            if lines.is_empty() {
                "Nothing yet.".to_owned()
            } else {
                lines.join("\n")
            }
        ),
        buttons,
    })
}
