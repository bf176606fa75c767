//! Who runs the shop: admins added and removed by an owner inside the bot (configured owners
//! and admins are listed, not editable here), and the audit log.

use serde_json::json;
use sqlx::PgConnection;

use super::callback::{AdminCallback, MenuPress};
use super::{Admin, Change, ask, back, button, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::payments::expiry;
use crate::shop::ids::TelegramUserId;
use crate::ui::Outgoing;
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::Screen;
use crate::ui::texts::{OpsText as O, Texts};

/// What the bot waits for from an admin in the admins.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StaffStep {
    NewAdmin,
}

/// What the bot waits for from an admin in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum AuditStep {
    AuditSearch,
}

callbacks! {
    /// An admin's press on the audit log.
    pub enum AuditPress = "a:" {
        Audit { page: u32 } = "al",
        AuditSearch = "aq",
    }
}

impl Checked for AuditPress {}

callbacks! {
    /// An admin's press on admins.
    pub enum StaffPress = "a:" {
        Admins = "ad",
        NewAdmin = "an",
        RemoveAdmin { telegram_id: TelegramUserId } = "ar",
    }
}

impl Checked for StaffPress {}

const AUDIT_PAGE: i64 = 15;

pub(super) fn owners_only(t: &Texts) -> Reply {
    Reply::default().noticed(Some(t.get(O::OwnersOnly).to_owned()))
}

/// A press on the audit log.
pub(super) async fn on_audit(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: AuditPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    match pressed {
        AuditPress::Audit { page } => Ok(Reply::edit(audit_log(tx, t, page, settings).await?)),
        AuditPress::AuditSearch => {
            let question = t.get(O::AuditPrompt);
            wait_for(tx, admin, AuditStep::AuditSearch, question, settings).await
        }
    }
}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: StaffPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    if !admin.owner {
        tracing::warn!(
            user = %admin.telegram_id,
            "an admin tried an owner's action"
        );
        return Ok(owners_only(t));
    }
    Ok(match pressed {
        StaffPress::Admins => Reply::edit(admins(tx, t, settings).await?),
        StaffPress::NewAdmin => {
            let question = t.get(O::NewAdminPrompt);
            return wait_for(tx, admin, StaffStep::NewAdmin, question, settings).await;
        }
        StaffPress::RemoveAdmin { telegram_id } => {
            let removed = sqlx::query_scalar!(
                "DELETE FROM admins WHERE telegram_id = $1 AND role = 'admin' RETURNING telegram_id",
                telegram_id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if removed.is_some() {
                let change = Change::of("admin.remove", "admin", telegram_id)
                    .before(json!({ "role": "admin" }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(admins(tx, t, settings).await?)
        }
    })
}

pub(super) async fn add_admin(
    tx: &mut PgConnection,
    admin: &Admin,
    text: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    if !admin.owner {
        conversation::clear(tx, admin.chat).await?;
        return Ok(vec![Outgoing::text(t.get(O::OwnersOnly))]);
    }
    let Ok(telegram_id) = text.trim().parse::<i64>() else {
        return Ok(vec![ask(t, t.get(O::IdDigits))]);
    };
    if telegram_id <= 0 {
        return Ok(vec![ask(t, t.get(O::IdPositive))]);
    }
    let added = sqlx::query_scalar!(
        r#"INSERT INTO admins (telegram_id, role, added_by) VALUES ($1, 'admin', $2)
           ON CONFLICT (telegram_id) DO NOTHING RETURNING telegram_id"#,
        telegram_id,
        admin.telegram_id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if added.is_some() {
        let change =
            Change::of("admin.add", "admin", telegram_id).after(json!({ "role": "admin" }));
        admin.audit(tx, change).await?;
    }
    conversation::clear(tx, admin.chat).await?;
    let screen = admins(tx, t, settings).await?;
    Ok(vec![message(screen)])
}

async fn admins(
    tx: &mut PgConnection,
    t: &Texts,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
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
                t.render(O::RemoveButton, &[("id", &a.telegram_id.to_string())]),
                StaffPress::RemoveAdmin {
                    telegram_id: TelegramUserId(a.telegram_id),
                },
            )]
        })
        .collect();
    buttons.push(vec![button(t.get(O::AddAdminButton), StaffPress::NewAdmin)]);
    buttons.push(back(t, MenuPress::Home));
    let added = stored
        .iter()
        .map(|a| {
            format!(
                "<code>{}</code> {}{}",
                a.telegram_id,
                a.role,
                a.added_by
                    .map(|by| t.render(O::AddedBy, &[("by", &by.to_string())]))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let added = if added.is_empty() {
        "—".to_owned()
    } else {
        added
    };
    Ok(Screen {
        text: t.render(
            O::AdminsScreen,
            &[
                ("owners", &configured(settings.payments.staff.owners())),
                ("admins", &configured(settings.payments.staff.admins())),
                ("added", &added),
            ],
        ),
        buttons,
    })
}

/// What an audit search looks for: entries by an actor, or of an action (or its start, e.g.
/// `product.` for every product change).
#[derive(Debug, PartialEq, Eq)]
enum AuditFilter {
    Actor(String),
    Action(String),
}

fn audit_filter(input: &str) -> Option<AuditFilter> {
    let (kind, value) = input.trim().split_once(char::is_whitespace)?;
    let value = value.trim();
    if value.is_empty() || value.len() > 64 {
        return None;
    }
    match kind.to_lowercase().as_str() {
        "actor" => Some(AuditFilter::Actor(value.to_owned())),
        "action" => Some(AuditFilter::Action(value.to_owned())),
        _ => None,
    }
}

pub(super) async fn audit_search(
    tx: &mut PgConnection,
    admin: &Admin,
    input: &str,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let Some(filter) = audit_filter(input) else {
        return Ok(vec![ask(t, t.get(O::AuditSearchHelp))]);
    };
    conversation::clear(tx, admin.chat).await?;
    let screen = entries(tx, t, 0, Some(&filter), settings).await?;
    Ok(vec![message(screen)])
}

pub(super) async fn audit_log(
    tx: &mut PgConnection,
    t: &Texts,
    page: u32,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    entries(tx, t, page, None, settings).await
}

async fn entries(
    tx: &mut PgConnection,
    t: &Texts,
    page: u32,
    filter: Option<&AuditFilter>,
    settings: &BotSettings,
) -> Result<Screen, JobError> {
    let (actor, action) = match filter {
        Some(AuditFilter::Actor(actor)) => (Some(actor.as_str()), None),
        Some(AuditFilter::Action(action)) => (None, Some(format!("{action}%"))),
        None => (None, None),
    };
    let rows = sqlx::query!(
        r#"SELECT at, actor, action, entity_type, entity_id FROM audit_log
           WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action LIKE $2)
           ORDER BY at DESC, id DESC LIMIT $3 OFFSET $4"#,
        actor,
        action,
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
    let mut buttons = Vec::new();
    if filter.is_none() {
        let mut nav = Vec::new();
        if page > 0 {
            nav.push(button(
                t.get(O::Newer),
                AuditPress::Audit { page: page - 1 },
            ));
        }
        if more {
            nav.push(button(
                t.get(O::Older),
                AuditPress::Audit { page: page + 1 },
            ));
        }
        if !nav.is_empty() {
            buttons.push(nav);
        }
    }
    buttons.push(vec![button(
        t.get(O::FilterButton),
        AuditPress::AuditSearch,
    )]);
    buttons.push(back(
        t,
        if filter.is_some() {
            AdminCallback::from(AuditPress::Audit { page: 0 })
        } else {
            MenuPress::Home.into()
        },
    ));
    let heading = match filter {
        Some(AuditFilter::Actor(actor)) => t.render(O::ByActor, &[("actor", &escape(actor))]),
        Some(AuditFilter::Action(action)) => t.render(O::ForAction, &[("action", &escape(action))]),
        None => String::new(),
    };
    let lines = if lines.is_empty() {
        t.get(O::NothingYet).to_owned()
    } else {
        lines.join("\n")
    };
    Ok(Screen {
        text: t.render(O::AuditHeader, &[("heading", &heading), ("lines", &lines)]),
        buttons,
    })
}

#[cfg(test)]
mod tests {
    use super::{AuditFilter, audit_filter};

    #[test]
    fn audit_searches_name_an_actor_or_an_action() {
        assert_eq!(
            audit_filter("actor tg:777"),
            Some(AuditFilter::Actor("tg:777".to_owned()))
        );
        assert_eq!(
            audit_filter("Action product."),
            Some(AuditFilter::Action("product.".to_owned()))
        );
        assert_eq!(audit_filter("who did it"), None);
        assert_eq!(audit_filter("actor"), None);
    }
}
