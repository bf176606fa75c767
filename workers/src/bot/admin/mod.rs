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
mod price_import;
mod prices;
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
use crate::shop::ids::{CategoryId, ChatId, TelegramUserId};
use crate::ui::codec::{Checked, callbacks};
use crate::ui::screen::Screen;
use crate::ui::texts::{OpsText, Texts};
use crate::ui::{Button, Keyboard, Outgoing};
pub use callback::AdminCallback;
use callback::{
    AuditPress, BroadcastPress, CategoryPress, JobPress, OrderPress, PricePress, ProductPress,
    SettingPress, StaffPress, StatsPress, TextPress, UserPress, VoucherPress, WizardPress,
};
use jobs::catalogue::AuditWrite;

pub use broadcast::BroadcastStep;
pub use catalog::{CategoryStep, ProductStep, StockStep, VariantStep, WizardStep};
pub use orders::OrderStep;
pub use prices::PriceStep;
pub use shop_settings::SettingStep;
pub use staff::{AuditStep, StaffStep};
pub use templates::TextStep;
pub use users::UserStep;
pub use vouchers::VoucherStep;

callbacks! {
    /// An admin's press on the admin menu itself.
    pub enum MenuPress = "a:" {
        Home = "home",
        /// Leave any wizard and go home.
        Cancel = "x",
        /// A one-time link into the web dashboard.
        DashboardLink = "dl",
    }
}

impl Checked for MenuPress {}

/// Who is acting, as checked for this action, and the texts in their language.
pub struct Admin {
    pub telegram_id: TelegramUserId,
    pub chat: ChatId,
    pub owner: bool,
    pub t: Texts,
}

impl Admin {
    /// The admin acting, when `role` makes `telegram_id` one; they read `t`'s locale.
    pub fn of(role: Role, telegram_id: TelegramUserId, chat: ChatId, t: &Texts) -> Option<Admin> {
        let owner = match role {
            Role::Customer => return None,
            Role::Admin => false,
            Role::Owner => true,
        };
        Some(Admin {
            telegram_id,
            chat,
            owner,
            t: t.clone(),
        })
    }

    /// How the audit log names them.
    pub fn actor(&self) -> String {
        format!("tg:{}", self.telegram_id)
    }

    /// Record their change in the audit log, in the change's transaction.
    pub(crate) async fn audit(
        &self,
        tx: &mut PgConnection,
        change: Change,
    ) -> Result<(), JobError> {
        change.write(tx, &self.actor()).await
    }
}

/// A new product being put together by the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub code: String,
    pub name: Option<String>,
    pub price: Option<i64>,
    pub description: Option<String>,
    pub category: Option<CategoryId>,
    #[serde(default)]
    pub contents: Vec<String>,
    /// Several variants, written at the price step; none for a product of one variant (the
    /// product's code, name and price).
    #[serde(default)]
    pub variants: Vec<catalog::NewVariant>,
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

/// Declares the union of the families' steps, each family's step converting into it.
macro_rules! steps {
    ($(#[$meta:meta])* pub enum $name:ident { $($family:ident($step:ty),)+ }) => {
        $(#[$meta])*
        pub enum $name {
            $($family($step),)+
        }

        $(
            impl From<$step> for $name {
                fn from(step: $step) -> Self {
                    $name::$family(step)
                }
            }
        )+
    };
}

steps! {
    /// What the bot waits for from an admin, by family (stored with its family's name).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(tag = "family", content = "at", rename_all = "snake_case")]
    pub enum Step {
        Wizard(WizardStep),
        Products(ProductStep),
        Stock(StockStep),
        Variants(VariantStep),
        Prices(PriceStep),
        Categories(CategoryStep),
        Orders(OrderStep),
        Users(UserStep),
        Vouchers(VoucherStep),
        Broadcast(BroadcastStep),
        Staff(StaffStep),
        Texts(TextStep),
        Settings(SettingStep),
        Audit(AuditStep),
    }
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

/// One change for the audit log: what was done to which entity, what it was and is now.
pub(crate) struct Change {
    action: &'static str,
    entity_type: &'static str,
    entity_id: Option<String>,
    before: Option<Value>,
    after: Option<Value>,
}

impl Change {
    /// `action` on one entity (`"product"`, its id).
    pub(crate) fn of(action: &'static str, entity_type: &'static str, id: impl ToString) -> Self {
        Change {
            entity_id: Some(id.to_string()),
            ..Change::all(action, entity_type)
        }
    }

    /// `action` on several (or no particular) entities of a type.
    pub(crate) fn all(action: &'static str, entity_type: &'static str) -> Self {
        Change {
            action,
            entity_type,
            entity_id: None,
            before: None,
            after: None,
        }
    }

    pub(crate) fn before(self, before: impl Into<Option<Value>>) -> Self {
        Change {
            before: before.into(),
            ..self
        }
    }

    pub(crate) fn after(self, after: impl Into<Option<Value>>) -> Self {
        Change {
            after: after.into(),
            ..self
        }
    }

    /// Enqueue it as `actor`'s, in the change's transaction.
    pub(crate) async fn write(self, tx: &mut PgConnection, actor: &str) -> Result<(), JobError> {
        let entry = AuditWrite {
            at: chrono::Utc::now(),
            actor: actor.to_owned(),
            action: self.action.to_owned(),
            entity_type: self.entity_type.to_owned(),
            entity_id: self.entity_id,
            before: self.before,
            after: self.after,
        };
        jobs::enqueue(&mut *tx, &entry).await?;
        Ok(())
    }
}

pub(crate) fn button(label: impl Into<String>, to: impl Into<AdminCallback>) -> Button {
    Button::callback(label, to.into().encode())
}

/// The last row of every admin screen: back to `to`, and home.
pub(crate) fn back(t: &Texts, to: impl Into<AdminCallback>) -> Vec<Button> {
    let to = to.into();
    let home = button(t.get(OpsText::HomeButton), MenuPress::Home);
    if to == MenuPress::Home.into() {
        return vec![home];
    }
    vec![button(t.get(OpsText::BackButton), to), home]
}

/// ◀️ / ▶️ for page `page` (from 0) of a list, each leading to `to(page)`, pushed onto
/// `buttons` when there is somewhere to go.
pub(crate) fn paging<P: Into<AdminCallback>>(
    buttons: &mut Vec<Vec<Button>>,
    page: u32,
    more: bool,
    to: impl Fn(u32) -> P,
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
pub(crate) fn cancel_row(t: &Texts) -> Vec<Button> {
    vec![button(t.get(OpsText::CancelButton), MenuPress::Cancel)]
}

/// A question as a message, with the cancel button.
pub(crate) fn ask(t: &Texts, text: impl Into<String>) -> Outgoing {
    Outgoing::text_with(text, Keyboard::Inline(vec![cancel_row(t)]))
}

/// Ask `question` and wait for the answer as `step`.
pub(super) async fn wait_for(
    tx: &mut PgConnection,
    admin: &Admin,
    step: impl Into<Step>,
    question: impl Into<String>,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let state = State::Admin(step.into());
    conversation::save(tx, admin.chat, &state, settings.state_ttl).await?;
    Ok(Reply {
        send: vec![ask(&admin.t, question)],
        ..Reply::default()
    })
}

pub fn home(admin: &Admin, store: &str) -> Screen {
    let t = &admin.t;
    let b = |text: OpsText, to: AdminCallback| button(t.get(text), to);
    let mut buttons = vec![
        vec![
            b(
                OpsText::MenuProducts,
                ProductPress::Products { page: 0 }.into(),
            ),
            b(OpsText::MenuCategories, CategoryPress::Categories.into()),
        ],
        vec![
            b(
                OpsText::MenuOrders,
                OrderPress::Orders {
                    filter: callback::OrderFilter::All,
                    days: 0,
                    user: None,
                    page: 0,
                }
                .into(),
            ),
            b(OpsText::MenuUsers, UserPress::FindUser.into()),
        ],
        vec![
            b(OpsText::MenuVouchers, VoucherPress::Vouchers.into()),
            b(OpsText::MenuBroadcast, BroadcastPress::Broadcast.into()),
        ],
        vec![
            b(OpsText::MenuStats, StatsPress::Stats { days: 1 }.into()),
            b(OpsText::MenuJobs, JobPress::Jobs.into()),
        ],
        vec![
            b(OpsText::MenuTexts, TextPress::Templates { page: 0 }.into()),
            b(OpsText::MenuSettings, SettingPress::Settings.into()),
        ],
        vec![
            b(OpsText::MenuAudit, AuditPress::Audit { page: 0 }.into()),
            b(OpsText::MenuDashboard, MenuPress::DashboardLink.into()),
        ],
    ];
    if admin.owner {
        buttons.push(vec![
            b(OpsText::MenuAdmins, StaffPress::Admins.into()),
            button(
                t.get(crate::ui::texts::PriceText::MenuGroups),
                PricePress::Groups,
            ),
        ]);
    }
    Screen {
        text: t.render(OpsText::Home, &[("store", &crate::ui::html::escape(store))]),
        buttons,
    }
}

/// An admin button, handed to its family. Buttons other than a wizard's own leave any wizard
/// in progress.
pub(super) async fn on_button(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: AdminCallback,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    use AdminCallback as A;
    // The wizard's steps and an import's confirmation read the state the press belongs to.
    let in_wizard = matches!(&pressed, A::Wizard(press) if *press != WizardPress::NewProduct)
        || pressed == A::Prices(PricePress::ApplyImport);
    if !in_wizard {
        conversation::clear(tx, admin.chat).await?;
    }
    match pressed {
        A::Menu(press) => on_menu(tx, admin, press, settings).await,
        A::Products(press) => catalog::on_product(tx, admin, press, settings).await,
        A::Wizard(press) => catalog::on_wizard(tx, admin, press, settings).await,
        A::Stock(press) => catalog::on_stock(tx, admin, press, settings).await,
        A::Variants(press) => catalog::on_variant(tx, admin, press, settings).await,
        A::Prices(press) => prices::on_button(tx, admin, press, settings).await,
        A::Categories(press) => catalog::on_category(tx, admin, press, settings).await,
        A::Orders(press) => orders::on_button(tx, admin, press, settings).await,
        A::Users(press) => users::on_button(tx, admin, press, settings).await,
        A::Vouchers(press) => vouchers::on_button(tx, admin, press, settings).await,
        A::Broadcast(press) => broadcast::on_button(tx, admin, press, settings).await,
        A::Stats(StatsPress::Stats { days }) => Ok(Reply::edit(
            stats::screen(tx, &admin.t, days, settings).await?,
        )),
        A::Jobs(press) => jobs_screen::on_button(tx, admin, press).await,
        A::Audit(press) => staff::on_audit(tx, admin, press, settings).await,
        A::Staff(press) => staff::on_button(tx, admin, press, settings).await,
        A::Texts(press) => templates::on_button(tx, admin, press, settings).await,
        A::Settings(press) => shop_settings::on_button(tx, admin, press, settings).await,
    }
}

/// The admin menu's own buttons.
async fn on_menu(
    tx: &mut PgConnection,
    admin: &Admin,
    pressed: MenuPress,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    match pressed {
        MenuPress::Home => Ok(Reply::edit(home(admin, &settings.store_name))),
        MenuPress::Cancel => Ok(Reply::edit(home(admin, &settings.store_name))
            .noticed(Some(admin.t.get(OpsText::Cancelled).to_owned()))),
        MenuPress::DashboardLink => dashboard_link(tx, admin, settings).await,
    }
}

/// A one-time sign-in link to the web dashboard (10 minutes, once), as a new message.
async fn dashboard_link(
    tx: &mut PgConnection,
    admin: &Admin,
    settings: &BotSettings,
) -> Result<Reply, JobError> {
    let Some(base) = &settings.public_url else {
        return Ok(
            Reply::default().noticed(Some(admin.t.get(OpsText::DashboardNeedsUrl).to_owned()))
        );
    };
    let token = crate::dashboard_login::create(tx, admin.telegram_id).await?;
    let change = Change::of("dashboard.link", "admin", admin.telegram_id);
    admin.audit(tx, change).await?;
    let url = format!("{base}/dashboard/login/{token}");
    Ok(Reply {
        send: vec![Outgoing::text_with(
            admin.t.render(
                OpsText::DashboardLink,
                &[("url", &crate::ui::html::escape(&url))],
            ),
            Keyboard::Inline(vec![vec![Button::url(
                admin.t.get(OpsText::DashboardOpen),
                url,
            )]]),
        )],
        ..Reply::default()
    })
}

/// An admin's message while the bot waits for `step`, handed to the step's family.
pub(super) async fn on_input(
    tx: &mut PgConnection,
    admin: &Admin,
    step: Step,
    input: &Input<'_>,
    settings: &BotSettings,
) -> Result<Vec<Outgoing>, JobError> {
    match step {
        Step::Wizard(step) => catalog::wizard_input(tx, admin, step, input, settings).await,
        Step::Products(step) => catalog::product_input(tx, admin, step, input).await,
        Step::Stock(step) => catalog::stock_input(tx, admin, step, input).await,
        Step::Variants(step) => catalog::variant_input(tx, admin, step, input).await,
        Step::Prices(step) => prices::on_input(tx, admin, step, input, settings).await,
        Step::Categories(step) => catalog::category_input(tx, admin, step, input).await,
        Step::Orders(OrderStep::MarkPaidNote { order_id }) => {
            orders::mark_paid(tx, admin, order_id, input.text, settings).await
        }
        Step::Users(step) => users::on_input(tx, admin, step, input.text, settings).await,
        Step::Vouchers(VoucherStep::VoucherSpec) => {
            vouchers::create(tx, admin, input.text, settings).await
        }
        Step::Broadcast(BroadcastStep::BroadcastMessage) => {
            broadcast::draft(tx, admin, input, settings).await
        }
        Step::Staff(StaffStep::NewAdmin) => staff::add_admin(tx, admin, input.text, settings).await,
        Step::Audit(AuditStep::AuditSearch) => {
            staff::audit_search(tx, admin, input.text, settings).await
        }
        Step::Settings(SettingStep::SettingValue { setting }) => {
            shop_settings::save(tx, admin, setting, input.text, settings).await
        }
        Step::Texts(TextStep::TemplateBody { index, locale }) => {
            templates::save(tx, admin, index, locale, input.text).await
        }
        Step::Texts(TextStep::TemplateSearch) => templates::search(tx, admin, input.text).await,
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
    use super::*;
    use callback::Field;

    #[test]
    fn a_waiting_step_is_stored_with_its_family_and_read_back() {
        let steps: Vec<Step> = vec![
            WizardStep::ProductCode.into(),
            ProductStep::EditProduct {
                product_id: crate::shop::ids::ProductId(7),
                field: Field::Price,
            }
            .into(),
            OrderStep::MarkPaidNote {
                order_id: crate::shop::ids::OrderId(9),
            }
            .into(),
            SettingStep::SettingValue {
                setting: crate::settings::Setting::StoreName,
            }
            .into(),
        ];
        for step in steps {
            let stored = serde_json::to_value(&step).expect("encode");
            assert!(stored.get("family").is_some(), "{stored}");
            let back: Step = serde_json::from_value(stored).expect("decode");
            assert_eq!(back, step);
        }
    }

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
