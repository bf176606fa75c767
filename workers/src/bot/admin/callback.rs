//! What an admin's button press asks for: `a:`-prefixed callback data (≤64 bytes). The data
//! says what to do, never who may do it: the role is checked again when the action runs, so
//! forged or stale data from a customer does nothing.

pub use super::MenuPress;
pub use super::broadcast::BroadcastPress;
pub use super::catalog::{CategoryPress, ProductPress, StockPress, VariantPress, WizardPress};
pub use super::jobs_screen::JobPress;
pub use super::orders::OrderPress;
pub use super::prices::PricePress;
pub use super::shop_settings::SettingPress;
pub use super::staff::{AuditPress, StaffPress};
pub use super::stats::StatsPress;
pub use super::templates::TextPress;
pub use super::users::UserPress;
pub use super::vouchers::VoucherPress;
use crate::settings::Setting;
use crate::shop::ids::{
    BroadcastId, CategoryId, ContentId, OrderId, PriceGroupId, ProductId, TelegramUserId, UserId,
    VariantId, VoucherId,
};
use crate::shop::status::OrderStatus;
use crate::ui::codec::Part;
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
    pub fn status(self) -> Option<OrderStatus> {
        match self {
            OrderFilter::All => None,
            OrderFilter::Awaiting => Some(OrderStatus::AwaitingPayment),
            OrderFilter::Paid => Some(OrderStatus::Paid),
            OrderFilter::Delivered => Some(OrderStatus::Delivered),
            OrderFilter::Expired => Some(OrderStatus::Expired),
            OrderFilter::Cancelled => Some(OrderStatus::Cancelled),
            OrderFilter::Refunded => Some(OrderStatus::Refunded),
        }
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
    /// A variant's code.
    Code,
    /// A variant's quantity tiers.
    Tiers,
    /// A variant's own prices in price groups.
    GroupPrices,
}

impl Field {
    pub const EVERY: [Field; 8] = [
        Field::Name,
        Field::Price,
        Field::Description,
        Field::Terms,
        Field::LowStock,
        Field::Code,
        Field::Tiers,
        Field::GroupPrices,
    ];

    fn code(self) -> &'static str {
        match self {
            Field::Name => "n",
            Field::Price => "p",
            Field::Description => "d",
            Field::Terms => "t",
            Field::LowStock => "l",
            Field::Code => "c",
            Field::Tiers => "q",
            Field::GroupPrices => "g",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        Self::EVERY.into_iter().find(|f| f.code() == code)
    }
}

/// A value written as its code word: `word` writes it, `read` reads it back.
macro_rules! word_part {
    ($($ty:ty: $word:ident / $read:path;)+) => {$(
        impl Part for $ty {
            fn put(&self, out: &mut String) {
                out.push_str(self.$word());
            }

            fn take(part: &str) -> Option<Self> {
                $read(part)
            }
        }
    )+};
}

word_part! {
    OrderFilter: code / OrderFilter::parse;
    Field: code / Field::parse;
    Locale: as_str / Locale::parse;
    Setting: key / Setting::from_key;
}

/// Declares the union of the families' presses: each family's enum converts into it, its
/// data is the family's own (the families' tags never overlap, so the wire format is one
/// flat `a:tag:…` space), and parsing asks each family in turn.
macro_rules! families {
    ($(#[$meta:meta])* pub enum $name:ident { $($family:ident($press:ty),)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $($family($press),)+
        }

        $(
            impl From<$press> for $name {
                fn from(press: $press) -> Self {
                    $name::$family(press)
                }
            }
        )+

        impl $name {
            pub fn encode(&self) -> String {
                match self {
                    $($name::$family(press) => press.encode(),)+
                }
            }

            pub fn parse(data: &str) -> Option<Self> {
                None$(.or_else(|| <$press>::parse(data).map($name::$family)))+
            }
        }
    };
}

families! {
    /// What an admin's button asks for, by family.
    pub enum AdminCallback {
        Menu(MenuPress),
        Products(ProductPress),
        Wizard(WizardPress),
        Stock(StockPress),
        Variants(VariantPress),
        Prices(PricePress),
        Categories(CategoryPress),
        Orders(OrderPress),
        Users(UserPress),
        Vouchers(VoucherPress),
        Broadcast(BroadcastPress),
        Stats(StatsPress),
        Jobs(JobPress),
        Audit(AuditPress),
        Staff(StaffPress),
        Texts(TextPress),
        Settings(SettingPress),
    }
}

impl AdminCallback {
    /// Whether callback data is meant for the admin screens (and so needs the admin role).
    pub fn is_admin_data(data: &str) -> bool {
        MenuPress::is_data(data)
    }

    /// One of each kind, with the largest values they carry (what a forger could send).
    pub fn examples() -> Vec<AdminCallback> {
        let n = i64::MAX;
        let (product, category, order, user) = (ProductId(n), CategoryId(n), OrderId(n), UserId(n));
        let job = "01JZZZZZZZZZZZZZZZZZZZZZZZ".to_owned();
        let mut all: Vec<AdminCallback> = vec![
            MenuPress::Home.into(),
            MenuPress::Cancel.into(),
            ProductPress::Products { page: u32::MAX }.into(),
            ProductPress::Product { id: product }.into(),
            WizardPress::NewProduct.into(),
            ProductPress::SearchProducts.into(),
            WizardPress::WizardCategory { category: None }.into(),
            WizardPress::WizardCategory {
                category: Some(category),
            }
            .into(),
            WizardPress::WizardFinish.into(),
            WizardPress::SkipTerms.into(),
            ProductPress::PickCategory { id: product }.into(),
            ProductPress::SetCategory {
                id: product,
                category: None,
            }
            .into(),
            ProductPress::SetCategory {
                id: product,
                category: Some(category),
            }
            .into(),
            ProductPress::Archive {
                id: product,
                archived: true,
            }
            .into(),
            StockPress::AddStock { id: VariantId(n) }.into(),
            StockPress::Stock {
                id: VariantId(n),
                page: u32::MAX,
            }
            .into(),
            StockPress::DeleteContent {
                content: ContentId(n),
            }
            .into(),
            CategoryPress::Categories.into(),
            CategoryPress::NewCategory.into(),
            CategoryPress::Category { id: category }.into(),
            CategoryPress::RenameCategory { id: category }.into(),
            CategoryPress::CategoryEmoji { id: category }.into(),
            CategoryPress::MoveCategory {
                id: category,
                up: false,
            }
            .into(),
            CategoryPress::DeleteCategory {
                id: category,
                confirmed: true,
            }
            .into(),
            OrderPress::Order { id: order }.into(),
            OrderPress::MarkPaid { id: order }.into(),
            OrderPress::CancelOrder { id: order }.into(),
            OrderPress::Refund {
                id: order,
                confirmed: false,
            }
            .into(),
            UserPress::FindUser.into(),
            UserPress::User { id: user }.into(),
            UserPress::Block {
                id: user,
                blocked: true,
            }
            .into(),
            UserPress::AdjustBalance { id: user }.into(),
            VoucherPress::Vouchers.into(),
            VoucherPress::NewVoucher.into(),
            VoucherPress::DisableVoucher { id: VoucherId(n) }.into(),
            BroadcastPress::Broadcast.into(),
            BroadcastPress::StartBroadcast { id: BroadcastId(n) }.into(),
            BroadcastPress::BroadcastStatus { id: BroadcastId(n) }.into(),
            BroadcastPress::CancelBroadcast { id: BroadcastId(n) }.into(),
            StatsPress::Stats { days: 30 }.into(),
            JobPress::Jobs.into(),
            JobPress::FailedJobs { page: u32::MAX }.into(),
            JobPress::Job { id: job.clone() }.into(),
            JobPress::RetryJob { id: job.clone() }.into(),
            JobPress::RetryAllJobs.into(),
            JobPress::DiscardJob { id: job }.into(),
            AuditPress::Audit { page: u32::MAX }.into(),
            AuditPress::AuditSearch.into(),
            StaffPress::Admins.into(),
            StaffPress::NewAdmin.into(),
            StaffPress::RemoveAdmin {
                telegram_id: TelegramUserId(n),
            }
            .into(),
            TextPress::Templates { page: u32::MAX }.into(),
            TextPress::SearchTemplates.into(),
            TextPress::Template { index: u16::MAX }.into(),
            TextPress::EditTemplate {
                index: u16::MAX,
                locale: Locale::En,
            }
            .into(),
            TextPress::ResetTemplate {
                index: u16::MAX,
                locale: Locale::Id,
            }
            .into(),
            SettingPress::Settings.into(),
            MenuPress::DashboardLink.into(),
        ];
        all.extend(Setting::ALL.map(|setting| SettingPress::EditSetting { setting }.into()));
        all.extend(Setting::ALL.map(|setting| SettingPress::ResetSetting { setting }.into()));
        all.extend(Field::EVERY.map(|field| ProductPress::Edit { id: product, field }.into()));
        let variant = VariantId(n);
        all.extend(
            Field::EVERY.map(|field| VariantPress::EditVariant { id: variant, field }.into()),
        );
        all.extend([
            VariantPress::Variant { id: variant }.into(),
            VariantPress::AddVariants { product }.into(),
            VariantPress::MoveVariant {
                id: variant,
                up: false,
            }
            .into(),
            VariantPress::ArchiveVariant {
                id: variant,
                archived: true,
            }
            .into(),
        ]);
        all.extend(
            PricePress::examples(PriceGroupId(n), user)
                .into_iter()
                .map(Into::into),
        );
        all.extend(OrderFilter::EVERY.map(|filter| {
            OrderPress::Orders {
                filter,
                days: 30,
                user: Some(user),
                page: u32::MAX,
            }
            .into()
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
            "a:pe:1:z",
            "cats",
            "a:home:extra",
        ] {
            assert_eq!(AdminCallback::parse(data), None, "{data}");
        }
    }
}
