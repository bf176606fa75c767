//! What an admin's button press asks for: `a:`-prefixed callback data (≤64 bytes). The data
//! says what to do, never who may do it: the role is checked again when the action runs, so
//! forged or stale data from a customer does nothing.

use crate::settings::Setting;
use crate::ui::codec::{Part, callbacks};
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

impl Part for OrderFilter {
    fn put(&self, out: &mut String) {
        out.push_str(self.code());
    }

    fn take(part: &str) -> Option<Self> {
        Self::parse(part)
    }
}

impl Part for Field {
    fn put(&self, out: &mut String) {
        out.push_str(self.code());
    }

    fn take(part: &str) -> Option<Self> {
        Self::parse(part)
    }
}

impl Part for Locale {
    fn put(&self, out: &mut String) {
        out.push_str(self.as_str());
    }

    fn take(part: &str) -> Option<Self> {
        Locale::parse(part)
    }
}

impl Part for Setting {
    fn put(&self, out: &mut String) {
        out.push_str(self.key());
    }

    fn take(part: &str) -> Option<Self> {
        Setting::from_key(part)
    }
}

callbacks! {
    /// What an admin's button asks for.
    pub enum AdminCallback = "a:" {
        Home = "home",
        /// Leave any wizard and go home.
        Cancel = "x",
        Products { page: u32 } = "ps",
        Product { id: i64 } = "p",
        NewProduct = "pn",
        SearchProducts = "pq",
        /// The wizard's category choice (None: uncategorised).
        WizardCategory { category: Option<i64> } = "wc",
        /// The wizard's contents are complete: create the product.
        WizardFinish = "wf",
        /// No terms for the product just created.
        SkipTerms = "wt",
        Edit { id: i64, field: Field } = "pe",
        /// Pick a product's category.
        PickCategory { id: i64 } = "pk",
        SetCategory { id: i64, category: Option<i64> } = "pK",
        Archive { id: i64, archived: bool } = "pa",
        AddStock { id: i64 } = "sa",
        Stock { id: i64, page: u32 } = "sl",
        DeleteContent { content: i64 } = "sd",
        Categories = "cs",
        NewCategory = "cn",
        Category { id: i64 } = "c",
        RenameCategory { id: i64 } = "cr",
        CategoryEmoji { id: i64 } = "ce",
        MoveCategory { id: i64, up: bool } = "cm",
        DeleteCategory { id: i64, confirmed: bool } = "cd",
        /// Orders by status, within the last `days` days (0: any time), of one customer or all.
        Orders { filter: OrderFilter, days: u8, user: Option<i64>, page: u32 } = "os",
        Order { id: i64 } = "o",
        MarkPaid { id: i64 } = "op",
        CancelOrder { id: i64 } = "oc",
        Refund { id: i64, confirmed: bool } = "or",
        FindUser = "uf",
        User { id: i64 } = "u",
        Block { id: i64, blocked: bool } = "ub",
        AdjustBalance { id: i64 } = "ua",
        Vouchers = "vs",
        NewVoucher = "vn",
        DisableVoucher { id: i64 } = "vd",
        Broadcast = "b",
        StartBroadcast { id: i64 } = "bg",
        BroadcastStatus { id: i64 } = "bs",
        CancelBroadcast { id: i64 } = "bx",
        Stats { days: u8 } = "st",
        Jobs = "j",
        FailedJobs { page: u32 } = "jf",
        Job { id: String } = "js",
        RetryJob { id: String } = "jr",
        RetryAllJobs = "jR",
        DiscardJob { id: String } = "jd",
        Audit { page: u32 } = "al",
        AuditSearch = "aq",
        Admins = "ad",
        NewAdmin = "an",
        RemoveAdmin { telegram_id: i64 } = "ar",
        Templates { page: u32 } = "ts",
        /// A text by its index in [`crate::ui::texts::Text::ALL`] (keys can be longer than callback data allows).
        Template { index: u16 } = "t",
        EditTemplate { index: u16, locale: Locale } = "te",
        ResetTemplate { index: u16, locale: Locale } = "tr",
        Settings = "se",
        EditSetting { setting: Setting } = "sg",
        ResetSetting { setting: Setting } = "sx",
        /// A one-time link into the web dashboard.
        DashboardLink = "dl",
    }
}

impl AdminCallback {
    /// Whether callback data is meant for the admin screens (and so needs the admin role).
    pub fn is_admin_data(data: &str) -> bool {
        Self::is_data(data)
    }

    /// The values a press may carry beyond their types: the windows the screens offer and
    /// job ids that are ULIDs.
    fn allowed(&self) -> bool {
        match self {
            AdminCallback::Orders { days, .. } => matches!(days, 0 | 1 | 7 | 30),
            AdminCallback::Stats { days } => matches!(days, 1 | 7 | 30),
            AdminCallback::Job { id }
            | AdminCallback::RetryJob { id }
            | AdminCallback::DiscardJob { id } => id.len() == 26,
            _ => true,
        }
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
            A::WizardCategory { category: None },
            A::WizardCategory { category: Some(id) },
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
        all.extend(Setting::ALL.map(|setting| A::EditSetting { setting }));
        all.extend(Setting::ALL.map(|setting| A::ResetSetting { setting }));
        all.extend(Field::EVERY.map(|field| A::Edit { id, field }));
        all.extend(OrderFilter::EVERY.map(|filter| A::Orders {
            filter,
            days: 30,
            user: Some(id),
            page: u32::MAX,
        }));
        all
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
