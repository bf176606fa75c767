//! What an admin's button press asks for: `a:`-prefixed callback data (≤64 bytes). The data
//! says what to do, never who may do it: the role is checked again when the action runs, so
//! forged or stale data from a customer does nothing.

use crate::settings::Setting;
use crate::ui::texts::Locale;

/// Which orders a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderFilter {
    All,
    Awaiting,
    Paid,
    Delivered,
    Expired,
    Cancelled,
    Refunded,
}

impl OrderFilter {
    pub const EVERY: [OrderFilter; 7] = [
        OrderFilter::All,
        OrderFilter::Awaiting,
        OrderFilter::Paid,
        OrderFilter::Delivered,
        OrderFilter::Expired,
        OrderFilter::Cancelled,
        OrderFilter::Refunded,
    ];

    fn code(self) -> &'static str {
        match self {
            OrderFilter::All => "all",
            OrderFilter::Awaiting => "aw",
            OrderFilter::Paid => "pd",
            OrderFilter::Delivered => "dl",
            OrderFilter::Expired => "ex",
            OrderFilter::Cancelled => "cn",
            OrderFilter::Refunded => "rf",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        Self::EVERY.into_iter().find(|f| f.code() == code)
    }

    /// The order status it selects; None for every order.
    pub fn status(self) -> Option<&'static str> {
        match self {
            OrderFilter::All => None,
            OrderFilter::Awaiting => Some("awaiting_payment"),
            OrderFilter::Paid => Some("paid"),
            OrderFilter::Delivered => Some("delivered"),
            OrderFilter::Expired => Some("expired"),
            OrderFilter::Cancelled => Some("cancelled"),
            OrderFilter::Refunded => Some("refunded"),
        }
    }

    pub fn label(self) -> &'static str {
        self.status().unwrap_or("all")
    }
}

/// A product field the admin edits by typing its new value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Price,
    Description,
    Terms,
    LowStock,
}

impl Field {
    pub const EVERY: [Field; 5] = [
        Field::Name,
        Field::Price,
        Field::Description,
        Field::Terms,
        Field::LowStock,
    ];

    fn code(self) -> &'static str {
        match self {
            Field::Name => "n",
            Field::Price => "p",
            Field::Description => "d",
            Field::Terms => "t",
            Field::LowStock => "l",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        Self::EVERY.into_iter().find(|f| f.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminCallback {
    Home,
    /// Leave any wizard and go home.
    Cancel,
    Products {
        page: u32,
    },
    Product {
        id: i64,
    },
    NewProduct,
    SearchProducts,
    /// The wizard's category choice (None: uncategorised).
    WizardCategory(Option<i64>),
    /// The wizard's contents are complete: create the product.
    WizardFinish,
    /// No terms for the product just created.
    SkipTerms,
    Edit {
        id: i64,
        field: Field,
    },
    /// Pick a product's category.
    PickCategory {
        id: i64,
    },
    SetCategory {
        id: i64,
        category: Option<i64>,
    },
    Archive {
        id: i64,
        archived: bool,
    },
    AddStock {
        id: i64,
    },
    Stock {
        id: i64,
        page: u32,
    },
    DeleteContent {
        content: i64,
    },
    Categories,
    NewCategory,
    Category {
        id: i64,
    },
    RenameCategory {
        id: i64,
    },
    CategoryEmoji {
        id: i64,
    },
    MoveCategory {
        id: i64,
        up: bool,
    },
    DeleteCategory {
        id: i64,
        confirmed: bool,
    },
    /// Orders by status, within the last `days` days (0: any time), of one customer or all.
    Orders {
        filter: OrderFilter,
        days: u8,
        user: Option<i64>,
        page: u32,
    },
    Order {
        id: i64,
    },
    MarkPaid {
        id: i64,
    },
    CancelOrder {
        id: i64,
    },
    Refund {
        id: i64,
        confirmed: bool,
    },
    FindUser,
    User {
        id: i64,
    },
    Block {
        id: i64,
        blocked: bool,
    },
    AdjustBalance {
        id: i64,
    },
    Vouchers,
    NewVoucher,
    DisableVoucher {
        id: i64,
    },
    Broadcast,
    StartBroadcast {
        id: i64,
    },
    BroadcastStatus {
        id: i64,
    },
    CancelBroadcast {
        id: i64,
    },
    Stats {
        days: u8,
    },
    Jobs,
    FailedJobs {
        page: u32,
    },
    Job {
        id: String,
    },
    RetryJob {
        id: String,
    },
    RetryAllJobs,
    DiscardJob {
        id: String,
    },
    Audit {
        page: u32,
    },
    AuditSearch,
    Admins,
    NewAdmin,
    RemoveAdmin {
        telegram_id: i64,
    },
    Templates {
        page: u32,
    },
    /// A text by its index in [`crate::ui::texts::Text::ALL`] (keys can be longer than callback data allows).
    Template {
        index: u16,
    },
    EditTemplate {
        index: u16,
        locale: Locale,
    },
    ResetTemplate {
        index: u16,
        locale: Locale,
    },
    Settings,
    EditSetting(Setting),
    ResetSetting(Setting),
    /// A one-time link into the web dashboard.
    DashboardLink,
}

const PREFIX: &str = "a:";

fn flag(on: bool) -> &'static str {
    if on { "1" } else { "0" }
}

fn parse_flag(s: &str) -> Option<bool> {
    match s {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

fn optional(id: Option<i64>) -> String {
    id.map_or_else(|| "-".to_owned(), |id| id.to_string())
}

fn parse_optional(s: &str) -> Option<Option<i64>> {
    if s == "-" {
        Some(None)
    } else {
        s.parse().ok().map(Some)
    }
}

/// Job ids are ULIDs: 26 characters of Crockford base32.
fn job_id(s: &str) -> Option<String> {
    (s.len() == 26 && s.chars().all(|c| c.is_ascii_alphanumeric())).then(|| s.to_owned())
}

impl AdminCallback {
    /// Whether callback data is meant for the admin screens (and so needs the admin role).
    pub fn is_admin_data(data: &str) -> bool {
        data.starts_with(PREFIX)
    }

    /// One of each kind, with the largest values they carry (what a forger could send).
    pub fn examples() -> Vec<AdminCallback> {
        use AdminCallback as A;
        let id = i64::MAX;
        let job = "01JZZZZZZZZZZZZZZZZZZZZZZZ".to_owned();
        let mut all = vec![
            A::Home,
            A::Cancel,
            A::Products { page: u32::MAX },
            A::Product { id },
            A::NewProduct,
            A::SearchProducts,
            A::WizardCategory(None),
            A::WizardCategory(Some(id)),
            A::WizardFinish,
            A::SkipTerms,
            A::PickCategory { id },
            A::SetCategory { id, category: None },
            A::SetCategory {
                id,
                category: Some(id),
            },
            A::Archive { id, archived: true },
            A::AddStock { id },
            A::Stock { id, page: u32::MAX },
            A::DeleteContent { content: id },
            A::Categories,
            A::NewCategory,
            A::Category { id },
            A::RenameCategory { id },
            A::CategoryEmoji { id },
            A::MoveCategory { id, up: false },
            A::DeleteCategory {
                id,
                confirmed: true,
            },
            A::Order { id },
            A::MarkPaid { id },
            A::CancelOrder { id },
            A::Refund {
                id,
                confirmed: false,
            },
            A::FindUser,
            A::User { id },
            A::Block { id, blocked: true },
            A::AdjustBalance { id },
            A::Vouchers,
            A::NewVoucher,
            A::DisableVoucher { id },
            A::Broadcast,
            A::StartBroadcast { id },
            A::BroadcastStatus { id },
            A::CancelBroadcast { id },
            A::Stats { days: 30 },
            A::Jobs,
            A::FailedJobs { page: u32::MAX },
            A::Job { id: job.clone() },
            A::RetryJob { id: job.clone() },
            A::RetryAllJobs,
            A::DiscardJob { id: job },
            A::Audit { page: u32::MAX },
            A::AuditSearch,
            A::Admins,
            A::NewAdmin,
            A::RemoveAdmin { telegram_id: id },
            A::Templates { page: u32::MAX },
            A::Template { index: u16::MAX },
            A::EditTemplate {
                index: u16::MAX,
                locale: Locale::En,
            },
            A::ResetTemplate {
                index: u16::MAX,
                locale: Locale::Id,
            },
            A::Settings,
            A::DashboardLink,
        ];
        all.extend(Setting::ALL.map(A::EditSetting));
        all.extend(Setting::ALL.map(A::ResetSetting));
        all.extend(Field::EVERY.map(|field| A::Edit { id, field }));
        all.extend(OrderFilter::EVERY.map(|filter| A::Orders {
            filter,
            days: 30,
            user: Some(id),
            page: u32::MAX,
        }));
        all
    }

    pub fn encode(&self) -> String {
        use AdminCallback as A;
        let body = match self {
            A::Home => "home".to_owned(),
            A::Cancel => "x".to_owned(),
            A::Products { page } => format!("ps:{page}"),
            A::Product { id } => format!("p:{id}"),
            A::NewProduct => "pn".to_owned(),
            A::SearchProducts => "pq".to_owned(),
            A::WizardCategory(category) => format!("wc:{}", optional(*category)),
            A::WizardFinish => "wf".to_owned(),
            A::SkipTerms => "wt".to_owned(),
            A::Edit { id, field } => format!("pe:{id}:{}", field.code()),
            A::PickCategory { id } => format!("pk:{id}"),
            A::SetCategory { id, category } => format!("pK:{id}:{}", optional(*category)),
            A::Archive { id, archived } => format!("pa:{id}:{}", flag(*archived)),
            A::AddStock { id } => format!("sa:{id}"),
            A::Stock { id, page } => format!("sl:{id}:{page}"),
            A::DeleteContent { content } => format!("sd:{content}"),
            A::Categories => "cs".to_owned(),
            A::NewCategory => "cn".to_owned(),
            A::Category { id } => format!("c:{id}"),
            A::RenameCategory { id } => format!("cr:{id}"),
            A::CategoryEmoji { id } => format!("ce:{id}"),
            A::MoveCategory { id, up } => format!("cm:{id}:{}", flag(*up)),
            A::DeleteCategory { id, confirmed } => format!("cd:{id}:{}", flag(*confirmed)),
            A::Orders {
                filter,
                days,
                user,
                page,
            } => format!("os:{}:{days}:{}:{page}", filter.code(), optional(*user)),
            A::Order { id } => format!("o:{id}"),
            A::MarkPaid { id } => format!("op:{id}"),
            A::CancelOrder { id } => format!("oc:{id}"),
            A::Refund { id, confirmed } => format!("or:{id}:{}", flag(*confirmed)),
            A::FindUser => "uf".to_owned(),
            A::User { id } => format!("u:{id}"),
            A::Block { id, blocked } => format!("ub:{id}:{}", flag(*blocked)),
            A::AdjustBalance { id } => format!("ua:{id}"),
            A::Vouchers => "vs".to_owned(),
            A::NewVoucher => "vn".to_owned(),
            A::DisableVoucher { id } => format!("vd:{id}"),
            A::Broadcast => "b".to_owned(),
            A::StartBroadcast { id } => format!("bg:{id}"),
            A::BroadcastStatus { id } => format!("bs:{id}"),
            A::CancelBroadcast { id } => format!("bx:{id}"),
            A::Stats { days } => format!("st:{days}"),
            A::Jobs => "j".to_owned(),
            A::FailedJobs { page } => format!("jf:{page}"),
            A::Job { id } => format!("js:{id}"),
            A::RetryJob { id } => format!("jr:{id}"),
            A::RetryAllJobs => "jR".to_owned(),
            A::DiscardJob { id } => format!("jd:{id}"),
            A::Audit { page } => format!("al:{page}"),
            A::AuditSearch => "aq".to_owned(),
            A::Admins => "ad".to_owned(),
            A::NewAdmin => "an".to_owned(),
            A::RemoveAdmin { telegram_id } => format!("ar:{telegram_id}"),
            A::Templates { page } => format!("ts:{page}"),
            A::Template { index } => format!("t:{index}"),
            A::EditTemplate { index, locale } => format!("te:{index}:{}", locale.as_str()),
            A::ResetTemplate { index, locale } => format!("tr:{index}:{}", locale.as_str()),
            A::Settings => "se".to_owned(),
            A::DashboardLink => "dl".to_owned(),
            A::EditSetting(setting) => format!("sg:{}", setting.key()),
            A::ResetSetting(setting) => format!("sx:{}", setting.key()),
        };
        format!("{PREFIX}{body}")
    }

    pub fn parse(data: &str) -> Option<Self> {
        use AdminCallback as A;
        let body = data.strip_prefix(PREFIX)?;
        let parts: Vec<&str> = body.split(':').collect();
        let id = |i: usize| parts.get(i).and_then(|s| s.parse::<i64>().ok());
        let page = |i: usize| parts.get(i).and_then(|s| s.parse::<u32>().ok());
        let on = |i: usize| parts.get(i).and_then(|s| parse_flag(s));
        let job = |i: usize| parts.get(i).and_then(|s| job_id(s));
        let parsed = match parts.as_slice() {
            ["home"] => A::Home,
            ["x"] => A::Cancel,
            ["ps", _] => A::Products { page: page(1)? },
            ["p", _] => A::Product { id: id(1)? },
            ["pn"] => A::NewProduct,
            ["pq"] => A::SearchProducts,
            ["wc", category] => A::WizardCategory(parse_optional(category)?),
            ["wf"] => A::WizardFinish,
            ["wt"] => A::SkipTerms,
            ["pe", _, field] => A::Edit {
                id: id(1)?,
                field: Field::parse(field)?,
            },
            ["pk", _] => A::PickCategory { id: id(1)? },
            ["pK", _, category] => A::SetCategory {
                id: id(1)?,
                category: parse_optional(category)?,
            },
            ["pa", _, _] => A::Archive {
                id: id(1)?,
                archived: on(2)?,
            },
            ["sa", _] => A::AddStock { id: id(1)? },
            ["sl", _, _] => A::Stock {
                id: id(1)?,
                page: page(2)?,
            },
            ["sd", _] => A::DeleteContent { content: id(1)? },
            ["cs"] => A::Categories,
            ["cn"] => A::NewCategory,
            ["c", _] => A::Category { id: id(1)? },
            ["cr", _] => A::RenameCategory { id: id(1)? },
            ["ce", _] => A::CategoryEmoji { id: id(1)? },
            ["cm", _, _] => A::MoveCategory {
                id: id(1)?,
                up: on(2)?,
            },
            ["cd", _, _] => A::DeleteCategory {
                id: id(1)?,
                confirmed: on(2)?,
            },
            ["os", filter, days, user, _] => A::Orders {
                filter: OrderFilter::parse(filter)?,
                days: days.parse().ok().filter(|d| matches!(d, 0 | 1 | 7 | 30))?,
                user: parse_optional(user)?,
                page: page(4)?,
            },
            ["o", _] => A::Order { id: id(1)? },
            ["op", _] => A::MarkPaid { id: id(1)? },
            ["oc", _] => A::CancelOrder { id: id(1)? },
            ["or", _, _] => A::Refund {
                id: id(1)?,
                confirmed: on(2)?,
            },
            ["uf"] => A::FindUser,
            ["u", _] => A::User { id: id(1)? },
            ["ub", _, _] => A::Block {
                id: id(1)?,
                blocked: on(2)?,
            },
            ["ua", _] => A::AdjustBalance { id: id(1)? },
            ["vs"] => A::Vouchers,
            ["vn"] => A::NewVoucher,
            ["vd", _] => A::DisableVoucher { id: id(1)? },
            ["b"] => A::Broadcast,
            ["bg", _] => A::StartBroadcast { id: id(1)? },
            ["bs", _] => A::BroadcastStatus { id: id(1)? },
            ["bx", _] => A::CancelBroadcast { id: id(1)? },
            ["st", days] => A::Stats {
                days: days.parse().ok().filter(|d| matches!(d, 1 | 7 | 30))?,
            },
            ["j"] => A::Jobs,
            ["jf", _] => A::FailedJobs { page: page(1)? },
            ["js", _] => A::Job { id: job(1)? },
            ["jr", _] => A::RetryJob { id: job(1)? },
            ["jR"] => A::RetryAllJobs,
            ["jd", _] => A::DiscardJob { id: job(1)? },
            ["al", _] => A::Audit { page: page(1)? },
            ["aq"] => A::AuditSearch,
            ["ad"] => A::Admins,
            ["an"] => A::NewAdmin,
            ["ar", _] => A::RemoveAdmin {
                telegram_id: id(1)?,
            },
            ["ts", _] => A::Templates { page: page(1)? },
            ["t", index] => A::Template {
                index: index.parse().ok()?,
            },
            ["te", index, locale] => A::EditTemplate {
                index: index.parse().ok()?,
                locale: Locale::parse(locale)?,
            },
            ["se"] => A::Settings,
            ["dl"] => A::DashboardLink,
            ["sg", key] => A::EditSetting(Setting::from_key(key)?),
            ["sx", key] => A::ResetSetting(Setting::from_key(key)?),
            ["tr", index, locale] => A::ResetTemplate {
                index: index.parse().ok()?,
                locale: Locale::parse(locale)?,
            },
            _ => return None,
        };
        Some(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_callback_round_trips_within_telegrams_64_bytes() {
        for callback in AdminCallback::examples() {
            let data = callback.encode();
            assert!(data.len() <= 64, "{data} is {} bytes", data.len());
            assert!(AdminCallback::is_admin_data(&data));
            assert_eq!(AdminCallback::parse(&data), Some(callback), "{data}");
        }
    }

    #[test]
    fn malformed_data_is_refused() {
        for data in [
            "a:",
            "a:p:abc",
            "a:st:5",
            "a:jr:short",
            "a:os:zz:0:-:0",
            "a:os:all:5:-:0",
            "a:pe:1:q",
            "cats",
            "a:home:extra",
        ] {
            assert_eq!(AdminCallback::parse(data), None, "{data}");
        }
    }
}
