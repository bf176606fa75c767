//! The admin and owner screens: the whole shop run from inside Telegram.
//!
//! Screens are inline keyboards (`a:` callback data, [`callback`]); questions are typed
//! wizard steps ([`Step`]) kept in the chat's conversation state with an expiry. The role is
//! checked when each action runs, never trusted from the data, and every change enqueues an
//! `audit.write` with who, what, before and after.

pub mod broadcast;
pub mod callback;
mod catalog;
pub mod import;
mod jobs_screen;
mod orders;
mod shop_settings;
mod staff;
mod stats;
mod templates;
mod users;
mod vouchers;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;

use super::conversation::{self, State};
use super::{BotSettings, Reply, Role};
use crate::JobError;
use crate::ui::screen::Screen;
use crate::ui::{Button, Keyboard, Outgoing};
pub use callback::AdminCallback;
use callback::Field;
use jobs::catalogue::AuditWrite;

/// Who is acting, as checked for this action.
pub struct Admin {
    pub telegram_id: i64,
    pub chat: i64,
    pub owner: bool,
}

impl Admin {
    /// The admin acting, when `role` makes `telegram_id` one.
    pub fn of(role: Role, telegram_id: i64, chat: i64) -> Option<Admin> {
        match role {
            Role::Customer => None,
            Role::Admin => Some(Admin {
                telegram_id,
                chat,
                owner: false,
            }),
            Role::Owner => Some(Admin {
                telegram_id,
                chat,
                owner: true,
            }),
        }
    }

    /// How the audit log names them.
    pub fn actor(&self) -> String {
        format!("tg:{}", self.telegram_id)
    }
}

/// A new product being put together by the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub code: String,
    pub name: Option<String>,
    pub price: Option<i64>,
    pub description: Option<String>,
    pub category: Option<i64>,
    #[serde(default)]
    pub contents: Vec<String>,
}

impl Draft {
    /// Add contents the draft does not have yet; (added, duplicates skipped).
    pub(crate) fn add(&mut self, lines: Vec<String>) -> (usize, usize) {
        let before = self.contents.len();
        let mut duplicates = 0;
        for line in lines {
            if self.contents.contains(&line) {
                duplicates += 1;
            } else {
                self.contents.push(line);
            }
        }
        (self.contents.len() - before, duplicates)
    }
}

/// What the bot waits for from an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
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
        product_id: i64,
    },
    ProductSearch,
    EditProduct {
        product_id: i64,
        field: Field,
    },
    /// More contents for a product, pasted or uploaded.
    AddStock {
        product_id: i64,
    },
    CategoryName,
    RenameCategory {
        category_id: i64,
    },
    CategoryEmoji {
        category_id: i64,
    },
    MarkPaidNote {
        order_id: i64,
    },
    FindUser,
    AdjustBalance {
        user_id: i64,
    },
    VoucherSpec,
    BroadcastMessage,
    NewAdmin,
    TemplateBody {
        index: u16,
        locale: crate::ui::texts::Locale,
    },
    SettingValue {
        setting: crate::settings::Setting,
    },
    AuditSearch,
}

/// What an admin sent while the bot waited: text (or a caption), a photo, a file.
pub struct Input<'a> {
    pub text: &'a str,
    pub photo: Option<&'a str>,
    pub document: Option<Document<'a>>,
}

pub struct Document<'a> {
    pub file_id: &'a str,
    pub name: Option<&'a str>,
    pub size: u32,
}

/// Enqueue the audit entry of an admin change, in the change's transaction.
pub(crate) async fn audit(
    tx: &mut PgConnection,
    actor: &str,
    action: &str,
    entity: (&str, Option<String>),
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), JobError> {
    jobs::enqueue(
        &mut *tx,
        &AuditWrite {
            at: chrono::Utc::now(),
            actor: actor.to_owned(),
            action: action.to_owned(),
            entity_type: entity.0.to_owned(),
            entity_id: entity.1,
            before,
            after,
        },
    )
    .await?;
    Ok(())
}

pub(crate) fn button(label: impl Into<String>, to: AdminCallback) -> Button {
    Button::callback(label, to.encode())
}

/// The last row of every admin screen: back to `to`, and home.
pub(crate) fn back(to: AdminCallback) -> Vec<Button> {
    if to == AdminCallback::Home {
        return vec![button("🏠 Admin", AdminCallback::Home)];
    }
    vec![
        button("⬅️ Back", to),
        button("🏠 Admin", AdminCallback::Home),
    ]
}

/// ◀️ / ▶️ for page `page` (from 0) of a list, each leading to `to(page)`, pushed onto
/// `buttons` when there is somewhere to go.
pub(crate) fn paging(
    buttons: &mut Vec<Vec<Button>>,
    page: u32,
    more: bool,
    to: impl Fn(u32) -> AdminCallback,
) {
    let mut row = Vec::new();
    if page > 0 {
        row.push(button("◀️", to(page - 1)));
    }
    if more {
        row.push(button("▶️", to(page + 1)));
    }
    if !row.is_empty() {
        buttons.push(row);
    }
}

/// The row under a question: leave the wizard.
pub(crate) fn cancel_row() -> Vec<Button> {
    vec![button("❌ Cancel", AdminCallback::Cancel)]
}

/// A question as a message, with the cancel button.
pub(crate) fn ask(text: impl Into<String>) -> Outgoing {
    Outgoing::text_with(text, Keyboard::Inline(vec![cancel_row()]))
}

/// Ask `question` and wait for the answer as `step`.
pub(super) async fn wait_for(
    tx: &mut PgConnection,
    admin: &Admin,
    step: Step,
    question: impl Into<String>,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    conversation::save(tx, admin.chat, &State::Admin(step), settings.state_ttl).await?;
    Ok(Reply {
        send: vec![ask(question)],
        ..Reply::default()
    })
}

pub fn home(admin: &Admin, store: &str) -> Screen {
    use AdminCallback as A;
    let mut buttons = vec![
        vec![
            button("🛒 Products", A::Products { page: 0 }),
            button("🗂 Categories", A::Categories),
        ],
        vec![
            button(
                "📦 Orders",
                A::Orders {
                    filter: callback::OrderFilter::All,
                    days: 0,
                    user: None,
                    page: 0,
                },
            ),
            button("👥 Users", A::FindUser),
        ],
        vec![
            button("🎟 Vouchers", A::Vouchers),
            button("📣 Broadcast", A::Broadcast),
        ],
        vec![
            button("📊 Statistics", A::Stats { days: 1 }),
            button("🧰 Jobs", A::Jobs),
        ],
        vec![
            button("📝 Texts", A::Templates { page: 0 }),
            button("⚙️ Settings", A::Settings),
        ],
        vec![
            button("📜 Audit log", A::Audit { page: 0 }),
            button("🖥 Dashboard", A::DashboardLink),
        ],
    ];
    if admin.owner {
        buttons.push(vec![button("👑 Admins", A::Admins)]);
    }
    Screen {
        text: format!(
            "⚙️ <b>Admin — {}</b>\nPick what to manage.",
            crate::ui::html::escape(store)
        ),
        buttons,
    }
}

/// An admin button. Buttons other than a wizard's own leave any wizard in progress.
pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: AdminCallback,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    use AdminCallback as A;
    if !matches!(
        pressed,
        A::WizardCategory { .. } | A::WizardFinish | A::SkipTerms
    ) {
        conversation::clear(tx, admin.chat).await?;
    }
    match pressed {
        A::Home => Ok(Reply::edit(home(admin, &settings.store_name))),
        A::Cancel => {
            Ok(Reply::edit(home(admin, &settings.store_name))
                .noticed(Some("Cancelled.".to_owned())))
        }
        A::Products { .. }
        | A::Product { .. }
        | A::NewProduct
        | A::SearchProducts
        | A::WizardCategory { .. }
        | A::WizardFinish
        | A::SkipTerms
        | A::Edit { .. }
        | A::PickCategory { .. }
        | A::SetCategory { .. }
        | A::Archive { .. }
        | A::AddStock { .. }
        | A::Stock { .. }
        | A::DeleteContent { .. }
        | A::Categories
        | A::NewCategory
        | A::Category { .. }
        | A::RenameCategory { .. }
        | A::CategoryEmoji { .. }
        | A::MoveCategory { .. }
        | A::DeleteCategory { .. } => catalog::on_button(tx, admin, pressed, settings).await,
        A::Orders { .. }
        | A::Order { .. }
        | A::MarkPaid { .. }
        | A::CancelOrder { .. }
        | A::Refund { .. } => orders::on_button(tx, admin, pressed, settings).await,
        A::FindUser | A::User { .. } | A::Block { .. } | A::AdjustBalance { .. } => {
            users::on_button(tx, admin, pressed, settings).await
        }
        A::Vouchers | A::NewVoucher | A::DisableVoucher { .. } => {
            vouchers::on_button(tx, admin, pressed, settings).await
        }
        A::Broadcast
        | A::StartBroadcast { .. }
        | A::BroadcastStatus { .. }
        | A::CancelBroadcast { .. } => broadcast::on_button(tx, admin, pressed, settings).await,
        A::Stats { days } => Ok(Reply::edit(stats::screen(tx, days, settings).await?)),
        A::Jobs
        | A::FailedJobs { .. }
        | A::Job { .. }
        | A::RetryJob { .. }
        | A::RetryAllJobs
        | A::DiscardJob { .. } => jobs_screen::on_button(tx, admin, pressed).await,
        A::Audit { page } => Ok(Reply::edit(staff::audit_log(tx, page, settings).await?)),
        A::AuditSearch => {
            wait_for(
                tx,
                admin,
                Step::AuditSearch,
                "🔎 Send <code>actor tg:123456</code> or <code>action product.update</code>.",
                settings,
            )
            .await
        }
        A::Templates { .. }
        | A::Template { .. }
        | A::EditTemplate { .. }
        | A::ResetTemplate { .. } => templates::on_button(tx, admin, pressed, settings).await,
        A::DashboardLink => dashboard_link(tx, admin, settings).await,
        A::Settings | A::EditSetting { .. } | A::ResetSetting { .. } => {
            shop_settings::on_button(tx, admin, pressed, settings).await
        }
        A::Admins | A::NewAdmin | A::RemoveAdmin { .. } => {
            staff::on_button(tx, admin, pressed, settings).await
        }
    }
}

/// A one-time sign-in link to the web dashboard (10 minutes, once), as a new message.
async fn dashboard_link(
    tx: &mut PgConnection,
    admin: &Admin,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let Some(base) = &settings.public_url else {
        return Ok(Reply::default().noticed(Some(
            "The dashboard needs PUBLIC_URL (the shop's public address) in the configuration."
                .to_owned(),
        )));
    };
    let token = crate::dashboard_login::create(tx, admin.telegram_id).await?;
    audit(
        tx,
        &admin.actor(),
        "dashboard.link",
        ("admin", Some(admin.telegram_id.to_string())),
        None,
        None,
    )
    .await?;
    let url = format!("{base}/dashboard/login/{token}");
    Ok(Reply {
        send: vec![Outgoing::text_with(
            format!(
                "🖥 Your dashboard link, valid 10 minutes and once:\n{}",
                crate::ui::html::escape(&url)
            ),
            Keyboard::Inline(vec![vec![Button::url("🖥 Open the dashboard", url)]]),
        )],
        ..Reply::default()
    })
}

/// An admin's message while the bot waits for `step`.
pub(super) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: Step,
    input: &Input<'_>,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    match step {
        Step::ProductCode
        | Step::ProductName { .. }
        | Step::ProductPrice { .. }
        | Step::ProductDescription { .. }
        | Step::ProductCategory { .. }
        | Step::ProductContents { .. }
        | Step::ProductTerms { .. }
        | Step::ProductSearch
        | Step::EditProduct { .. }
        | Step::AddStock { .. }
        | Step::CategoryName
        | Step::RenameCategory { .. }
        | Step::CategoryEmoji { .. } => catalog::on_input(tx, admin, step, input, settings).await,
        Step::MarkPaidNote { order_id } => {
            orders::mark_paid(tx, admin, order_id, input.text, settings).await
        }
        Step::FindUser | Step::AdjustBalance { .. } => {
            users::on_input(tx, admin, step, input.text, settings).await
        }
        Step::VoucherSpec => vouchers::create(tx, admin, input.text, settings).await,
        Step::BroadcastMessage => broadcast::draft(tx, admin, input, settings).await,
        Step::NewAdmin => staff::add_admin(tx, admin, input.text, settings).await,
        Step::AuditSearch => staff::audit_search(tx, admin, input.text, settings).await,
        Step::SettingValue { setting } => {
            shop_settings::save(tx, admin, setting, input.text, settings).await
        }
        Step::TemplateBody { index, locale } => {
            templates::save(tx, admin, index, locale, input.text).await
        }
    }
}

/// Lines of pasted contents: trimmed, blanks dropped, each at most 4,000 characters.
pub(crate) fn content_lines(text: &str) -> (Vec<String>, usize) {
    let mut lines = Vec::new();
    let mut too_long = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > 4000 {
            too_long += 1;
        } else {
            lines.push(line.to_owned());
        }
    }
    (lines, too_long)
}

#[cfg(test)]
mod tests {
    use super::content_lines;

    #[test]
    fn contents_are_one_per_line_without_blanks() {
        let (lines, too_long) = content_lines(" a \n\n b\r\n".to_owned().as_str());
        assert_eq!(lines, ["a", "b"]);
        assert_eq!(too_long, 0);
        let (lines, too_long) = content_lines(&"x".repeat(4001));
        assert!(lines.is_empty());
        assert_eq!(too_long, 1);
    }
}
