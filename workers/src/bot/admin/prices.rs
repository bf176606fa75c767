//! Price groups (owner only): created with an optional percentage off, members added by
//! Telegram id or @username (or from a customer's screen) and removed, the price list
//! exported as CSV and imported from CSV after a preview. Every change is audited; a
//! customer's group change applies to their next cart.

use serde_json::json;
use sqlx::PgConnection;

use super::callback::MenuPress;
use super::users::{Lookup, find_customer};
use super::{Admin, Change, Input, ask, back, button, wait_for};
use crate::JobError;
use crate::bot::conversation;
use crate::bot::message;
use crate::bot::{BotSettings, Reply};
use crate::shop::ids::{PriceGroupId, UserId};
use crate::shop::price_list::{self, PriceChange};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::html::escape;
use crate::ui::screen::Screen;
use crate::ui::texts::{PriceText as P, SalesText as S, Texts};
use crate::ui::{Button, Outgoing};

/// What the bot waits for from the owner on price groups.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum PriceStep {
    NewGroup,
    GroupPercent {
        group_id: PriceGroupId,
    },
    AddMember {
        group_id: PriceGroupId,
    },
    /// A CSV price list, pasted or uploaded.
    PriceList,
    /// A previewed import, applied when the owner confirms.
    ConfirmImport {
        changes: Vec<PriceChange>,
        refused: usize,
    },
}

callbacks! {
    /// The owner's press on price groups.
    pub enum PricePress = "a:" {
        Groups = "gs",
        Group { id: PriceGroupId } = "g",
        NewGroup = "gn",
        GroupPercent { id: PriceGroupId } = "gp",
        DeleteGroup { id: PriceGroupId } = "gd",
        AddMember { id: PriceGroupId } = "gm",
        RemoveMember { id: PriceGroupId, user: UserId } = "gr",
        Export = "gx",
        Import = "gi",
        ApplyImport = "gy",
        /// The group picker on a customer's screen.
        UserGroup { user: UserId } = "gu",
        SetUserGroup { user: UserId, group: Option<PriceGroupId> } = "gU",
    }
}

impl Checked for PricePress {}

impl PricePress {
    /// One of each, for the callback tests.
    pub fn examples(group: PriceGroupId, user: UserId) -> Vec<PricePress> {
        vec![
            PricePress::Groups,
            PricePress::Group { id: group },
            PricePress::NewGroup,
            PricePress::GroupPercent { id: group },
            PricePress::DeleteGroup { id: group },
            PricePress::AddMember { id: group },
            PricePress::RemoveMember { id: group, user },
            PricePress::Export,
            PricePress::Import,
            PricePress::ApplyImport,
            PricePress::UserGroup { user },
            PricePress::SetUserGroup {
                user,
                group: Some(group),
            },
            PricePress::SetUserGroup { user, group: None },
        ]
    }
}

pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: PricePress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let t = &admin.t;
    if !admin.owner {
        tracing::warn!(user = %admin.telegram_id, "an admin tried to change price groups");
        return Ok(super::staff::owners_only(t));
    }
    Ok(match pressed {
        PricePress::Groups => Reply::edit(groups(tx, t).await?),
        PricePress::Group { id } => Reply::edit(group(tx, t, id).await?),
        PricePress::NewGroup => {
            return wait_for(tx, admin, PriceStep::NewGroup, t.get(P::AskGroup), settings).await;
        }
        PricePress::GroupPercent { id } => {
            let step = PriceStep::GroupPercent { group_id: id };
            return wait_for(tx, admin, step, t.get(P::AskPercent), settings).await;
        }
        PricePress::AddMember { id } => {
            let name = group_name(tx, id).await?.unwrap_or_default();
            let question = t.render(P::AskMember, &[("group", &escape(&name))]);
            let step = PriceStep::AddMember { group_id: id };
            return wait_for(tx, admin, step, question, settings).await;
        }
        PricePress::DeleteGroup { id } => {
            let deleted = sqlx::query!(
                "DELETE FROM price_groups WHERE id = $1 RETURNING name, percent_off",
                id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = deleted {
                let change = Change::of("price_group.delete", "price_group", id)
                    .before(json!({ "name": row.name, "percent_off": row.percent_off }));
                admin.audit(tx, change).await?;
            }
            Reply::edit(groups(tx, t).await?)
        }
        PricePress::RemoveMember { id, user } => {
            set_member(tx, admin, user, None).await?;
            Reply::edit(group(tx, t, id).await?)
        }
        PricePress::UserGroup { user } => Reply::edit(picker(tx, t, user).await?),
        PricePress::SetUserGroup { user, group } => {
            let said = set_member(tx, admin, user, group).await?;
            Reply::edit(picker(tx, t, user).await?).noticed(said)
        }
        PricePress::Export => {
            let (count, csv) = price_list::export(tx).await?;
            let mut send = vec![Outgoing::text(
                t.render(P::Export, &[("count", &count.to_string())]),
            )];
            send.extend(
                chunks(&csv, 3500)
                    .into_iter()
                    .map(|part| Outgoing::text(format!("<pre>{}</pre>", escape(&part)))),
            );
            Reply {
                send,
                ..Reply::default()
            }
        }
        PricePress::Import => {
            return wait_for(
                tx,
                admin,
                PriceStep::PriceList,
                t.get(P::ImportPrompt),
                settings,
            )
            .await;
        }
        PricePress::ApplyImport => match conversation::load(tx, admin.chat).await? {
            conversation::Loaded::Live(conversation::State::Admin(super::Step::Prices(
                PriceStep::ConfirmImport { changes, refused },
            ))) => {
                conversation::clear(tx, admin.chat).await?;
                let made = price_list::apply(tx, &changes).await?;
                let change = Change::all("price_list.import", "variant")
                    .after(json!({ "changes": changes, "made": made }));
                admin.audit(tx, change).await?;
                let done = t.render(
                    P::Applied,
                    &[
                        ("changes", &made.to_string()),
                        ("refused", &refused.to_string()),
                    ],
                );
                Reply {
                    send: vec![Outgoing::text(done), message(groups(tx, t).await?)],
                    ..Reply::default()
                }
            }
            _ => super::catalog::stale(t),
        },
    })
}

/// `text` in pieces of at most `max` bytes, cut at line ends.
fn chunks(text: &str, max: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for line in text.lines() {
        let last = out.last_mut().map_or(0, |s| s.len());
        if last > 0 && last + line.len() + 1 > max {
            out.push(String::new());
        }
        if let Some(current) = out.last_mut() {
            current.push_str(line);
            current.push('\n');
        }
    }
    out
}

async fn group_name(tx: &mut PgConnection, id: PriceGroupId) -> Result<Option<String>, JobError> {
    Ok(
        sqlx::query_scalar!("SELECT name FROM price_groups WHERE id = $1", id.get())
            .fetch_optional(&mut *tx)
            .await?,
    )
}

/// Put a customer in a group (or none), audited; what to tell the owner.
async fn set_member(
    tx: &mut PgConnection,
    admin: &Admin,
    user: UserId,
    group: Option<PriceGroupId>,
) -> Result<Option<String>, JobError> {
    let t = &admin.t;
    let row = sqlx::query!(
        r#"WITH before AS (SELECT id, price_group_id FROM users WHERE id = $1 FOR UPDATE)
           UPDATE users u SET price_group_id = $2, updated_at = now()
           FROM before WHERE u.id = before.id
             AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM price_groups WHERE id = $2))
           RETURNING u.telegram_id, before.price_group_id AS before_group,
                     coalesce(u.username, u.first_name) AS "customer!""#,
        user.get(),
        group.map(PriceGroupId::get)
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Some(t.get(S::CustomerGone).to_owned()));
    };
    let change = Change::of("user.price_group", "user", row.telegram_id)
        .before(json!({ "price_group_id": row.before_group }))
        .after(json!({ "price_group_id": group }));
    admin.audit(tx, change).await?;
    let name = match group {
        Some(id) => group_name(tx, id).await?.unwrap_or_default(),
        None => t.get(P::NormalPrices).to_owned(),
    };
    Ok(Some(t.render(
        P::MemberSet,
        &[("customer", &row.customer), ("group", &name)],
    )))
}

pub(super) async fn groups(tx: &mut PgConnection, t: &Texts) -> Result<Screen, JobError> {
    let rows = sqlx::query!(
        r#"SELECT g.id, g.name, g.percent_off,
                  (SELECT count(*) FROM users WHERE price_group_id = g.id) AS "members!"
           FROM price_groups g ORDER BY g.name"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut buttons: Vec<Vec<Button>> = rows
        .iter()
        .map(|row| {
            let percent = row.percent_off.map_or_else(String::new, |p| {
                t.render(P::PercentNote, &[("percent", &p.to_string())])
            });
            let label = t.render(
                P::GroupButton,
                &[
                    ("name", &row.name),
                    ("members", &row.members.to_string()),
                    ("percent", &percent),
                ],
            );
            vec![button(
                label,
                PricePress::Group {
                    id: PriceGroupId(row.id),
                },
            )]
        })
        .collect();
    buttons.push(vec![button(t.get(P::NewGroupButton), PricePress::NewGroup)]);
    buttons.push(vec![
        button(t.get(P::ExportButton), PricePress::Export),
        button(t.get(P::ImportButton), PricePress::Import),
    ]);
    buttons.push(back(t, MenuPress::Home));
    Ok(Screen {
        text: t.render(P::GroupsHeader, &[("count", &rows.len().to_string())]),
        buttons,
    })
}

async fn group(tx: &mut PgConnection, t: &Texts, id: PriceGroupId) -> Result<Screen, JobError> {
    let row = sqlx::query!(
        r#"SELECT name, percent_off,
                  (SELECT count(*) FROM price_group_prices WHERE group_id = g.id) AS "prices!"
           FROM price_groups g WHERE id = $1"#,
        id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Screen {
            text: t.get(P::GroupGone).to_owned(),
            buttons: vec![back(t, PricePress::Groups)],
        });
    };
    let members = sqlx::query!(
        r#"SELECT id, telegram_id, coalesce('@' || username, first_name) AS "name!"
           FROM users WHERE price_group_id = $1 ORDER BY id LIMIT 20"#,
        id.get()
    )
    .fetch_all(&mut *tx)
    .await?;
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM users WHERE price_group_id = $1"#,
        id.get()
    )
    .fetch_one(&mut *tx)
    .await?;
    let list: Vec<String> = members
        .iter()
        .map(|m| {
            t.render(
                P::MemberItem,
                &[
                    ("customer", &escape(&m.name)),
                    ("id", &m.telegram_id.to_string()),
                ],
            )
        })
        .collect();
    let text = t.render(
        P::GroupDetail,
        &[
            ("name", &escape(&row.name)),
            (
                "percent",
                &row.percent_off
                    .map_or_else(|| t.get(P::Nothing).to_owned(), |p| format!("{p}%")),
            ),
            ("prices", &row.prices.to_string()),
            ("members", &count.to_string()),
            (
                "list",
                &if list.is_empty() {
                    t.get(P::Nothing).to_owned()
                } else {
                    list.join(", ")
                },
            ),
        ],
    );
    let mut buttons: Vec<Vec<Button>> = members
        .iter()
        .map(|m| {
            vec![button(
                t.render(P::RemoveMemberButton, &[("customer", &m.name)]),
                PricePress::RemoveMember {
                    id,
                    user: UserId(m.id),
                },
            )]
        })
        .collect();
    buttons.push(vec![
        button(t.get(P::AddMemberButton), PricePress::AddMember { id }),
        button(t.get(P::SetPercentButton), PricePress::GroupPercent { id }),
    ]);
    buttons.push(vec![button(
        t.get(P::DeleteGroupButton),
        PricePress::DeleteGroup { id },
    )]);
    buttons.push(back(t, PricePress::Groups));
    Ok(Screen { text, buttons })
}

/// The groups to pick for one customer, theirs marked.
async fn picker(tx: &mut PgConnection, t: &Texts, user: UserId) -> Result<Screen, JobError> {
    let customer = sqlx::query!(
        r#"SELECT coalesce('@' || username, first_name) AS "name!", price_group_id FROM users WHERE id = $1"#,
        user.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(customer) = customer else {
        return Ok(Screen {
            text: t.get(S::CustomerGone).to_owned(),
            buttons: vec![back(t, MenuPress::Home)],
        });
    };
    let rows = sqlx::query!("SELECT id, name FROM price_groups ORDER BY name")
        .fetch_all(&mut *tx)
        .await?;
    let label = |name: &str, on: bool| {
        if on {
            t.render(P::Chosen, &[("name", name)])
        } else {
            name.to_owned()
        }
    };
    let mut buttons: Vec<Vec<Button>> = vec![vec![button(
        label(t.get(P::NormalPrices), customer.price_group_id.is_none()),
        PricePress::SetUserGroup { user, group: None },
    )]];
    buttons.extend(rows.iter().map(|row| {
        vec![button(
            label(&row.name, customer.price_group_id == Some(row.id)),
            PricePress::SetUserGroup {
                user,
                group: Some(PriceGroupId(row.id)),
            },
        )]
    }));
    buttons.push(back(t, super::users::UserPress::User { id: user }));
    Ok(Screen {
        text: t.render(P::PickGroup, &[("customer", &escape(&customer.name))]),
        buttons,
    })
}

/// The owner's answer on price groups.
pub(super) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: PriceStep,
    input: &Input<'_>,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    let t = &admin.t;
    let text = input.text.trim();
    match step {
        PriceStep::NewGroup => {
            let (name, percent) = match text.rsplit_once(' ') {
                Some((name, n)) if n.parse::<i32>().is_ok() => (name.trim(), n.parse().ok()),
                _ => (text, None),
            };
            let valid = (1..=32).contains(&name.chars().count())
                && percent.is_none_or(|p: i32| (1..=90).contains(&p));
            if !valid {
                return Ok(vec![ask(t, t.get(P::BadGroup))]);
            }
            let created = sqlx::query_scalar!(
                r#"INSERT INTO price_groups (name, percent_off) VALUES ($1, $2)
                   ON CONFLICT (name) DO NOTHING RETURNING id"#,
                name,
                percent
            )
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = created else {
                return Ok(vec![ask(t, t.get(P::GroupExists))]);
            };
            let change = Change::of("price_group.create", "price_group", id)
                .after(json!({ "name": name, "percent_off": percent }));
            admin.audit(tx, change).await?;
            conversation::clear(tx, admin.chat).await?;
            Ok(vec![message(group(tx, t, PriceGroupId(id)).await?)])
        }
        PriceStep::GroupPercent { group_id } => {
            let percent = match text {
                "-" => None,
                n => match n.trim_end_matches('%').parse::<i32>() {
                    Ok(p) if (1..=90).contains(&p) => Some(p),
                    _ => return Ok(vec![ask(t, t.get(P::BadPercent))]),
                },
            };
            let before = sqlx::query_scalar!(
                "SELECT percent_off FROM price_groups WHERE id = $1 FOR UPDATE",
                group_id.get()
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(before) = before {
                sqlx::query!(
                    "UPDATE price_groups SET percent_off = $2 WHERE id = $1",
                    group_id.get(),
                    percent
                )
                .execute(&mut *tx)
                .await?;
                let change = Change::of("price_group.update", "price_group", group_id)
                    .before(json!({ "percent_off": before }))
                    .after(json!({ "percent_off": percent }));
                admin.audit(tx, change).await?;
            }
            conversation::clear(tx, admin.chat).await?;
            Ok(vec![message(group(tx, t, group_id).await?)])
        }
        PriceStep::AddMember { group_id } => {
            let user = match find_customer(tx, text).await? {
                Lookup::Found(user) => user,
                Lookup::NotAnId => return Ok(vec![ask(t, t.get(S::NotAnId))]),
                Lookup::Nobody => {
                    let nobody = t.render(S::NoSuchCustomer, &[("query", &escape(text))]);
                    return Ok(vec![ask(t, nobody)]);
                }
            };
            let said = set_member(tx, admin, user, Some(group_id)).await?;
            conversation::clear(tx, admin.chat).await?;
            let mut out: Vec<Outgoing> = said.into_iter().map(Outgoing::text).collect();
            out.push(message(group(tx, t, group_id).await?));
            Ok(out)
        }
        PriceStep::PriceList => {
            if let Some(document) = &input.document {
                let target = jobs::catalogue::ImportTarget::PriceList;
                return super::catalog::import(tx, admin, document, target).await;
            }
            let shown =
                super::price_import::preview(tx, t, admin.chat, text, settings.state_ttl).await?;
            Ok(vec![shown])
        }
        PriceStep::ConfirmImport { .. } => Ok(vec![ask(t, t.get(P::ImportPrompt))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_is_cut_at_line_ends() {
        let text = "code,price\nA,1000\nB,2000\n";
        assert_eq!(chunks(text, 1000), vec![text.to_owned()]);
        let parts = chunks(text, 12);
        assert_eq!(parts, vec!["code,price\n", "A,1000\n", "B,2000\n"]);
    }
}
