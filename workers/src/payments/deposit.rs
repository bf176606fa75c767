//! Balance top-ups by QRIS: the same invoice → webhook → expiry cycle as orders, ending in a
//! `deposit` ledger credit (one per deposit, by unique index) instead of goods.

use jobs::catalogue::{CloseDeposit, CreateDepositInvoice};
use sqlx::PgConnection;

use super::{PaymentSettings, gateway, qr};
use crate::shop::Payable;
use crate::shop::ids::DepositId;
use crate::shop::ids::UserId;
use crate::shop::status::DepositStatus;
use crate::telegram::push;
use crate::ui::message::Track;
use crate::ui::screen::rupiah;
use crate::ui::texts::{Locale, Text, Texts};
use crate::ui::{Button, Outgoing};
use crate::{JobContext, JobError, Registry};

pub fn register(registry: &mut Registry, settings: PaymentSettings) {
    let invoices = settings.clone();
    registry.register(move |job: CreateDepositInvoice, ctx: JobContext| {
        let settings = invoices.clone();
        async move { create_invoice(job, ctx, settings).await }
    });
    registry.register(close);
}

/// What asking for a top-up led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    Created { public_id: String, deposit_id: i64 },
    OpenExists { public_id: String },
}

/// Create the deposit and queue its invoice, in the caller's transaction.
pub async fn start(
    tx: &mut PgConnection,
    user_id: UserId,
    amount: i64,
) -> Result<Started, JobError> {
    let open = sqlx::query_scalar!(
        "SELECT public_id FROM deposits WHERE user_id = $1 AND status = 'awaiting_payment' LIMIT 1",
        user_id.get()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(public_id) = open {
        return Ok(Started::OpenExists { public_id });
    }
    let ulid = ulid::Ulid::generate().to_string();
    let public_id = format!(
        "DEP-{}-{}",
        chrono::Utc::now().format("%y%m%d"),
        &ulid[ulid.len() - 8..]
    );
    let deposit_id = sqlx::query_scalar!(
        "INSERT INTO deposits (public_id, user_id, amount) VALUES ($1, $2, $3) RETURNING id",
        public_id,
        user_id.get(),
        amount
    )
    .fetch_one(&mut *tx)
    .await?;
    jobs::enqueue(
        &mut *tx,
        &CreateDepositInvoice {
            deposit_id: DepositId(deposit_id),
        },
    )
    .await?;
    Ok(Started::Created {
        public_id,
        deposit_id,
    })
}

struct Owner {
    chat_id: i64,
    texts: Texts,
}

async fn owner(tx: &mut PgConnection, deposit_id: i64) -> Result<Owner, JobError> {
    let row = sqlx::query!(
        r#"SELECT u.telegram_id, u.locale FROM deposits d JOIN users u ON u.id = d.user_id
           WHERE d.id = $1"#,
        deposit_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Owner {
        chat_id: row.telegram_id,
        texts: Texts::load(tx, Locale::parse(&row.locale).unwrap_or_default()).await?,
    })
}

async fn create_invoice(
    job: CreateDepositInvoice,
    ctx: JobContext,
    settings: PaymentSettings,
) -> Result<(), JobError> {
    let deposit = sqlx::query!(
        r#"SELECT public_id, user_id, amount, status AS "status: DepositStatus" FROM deposits WHERE id = $1"#,
        job.deposit_id.get()
    )
    .fetch_one(&ctx.pool)
    .await?;
    if deposit.status != DepositStatus::AwaitingPayment {
        return Ok(());
    }
    let Some(pakasir) = settings.pakasir.clone() else {
        return fail(
            &ctx,
            job.deposit_id.get(),
            "QRIS payments are not configured",
        )
        .await;
    };
    sqlx::query!(
        r#"INSERT INTO invoices (deposit_id, user_id, gateway_order_id, amount) VALUES ($1, $2, $3, $4)
           ON CONFLICT (gateway_order_id) DO NOTHING"#,
        job.deposit_id.get(),
        deposit.user_id,
        deposit.public_id,
        deposit.amount
    )
    .execute(&ctx.pool)
    .await?;
    let asked = gateway::request(&ctx, &pakasir, &deposit.public_id, deposit.amount).await?;
    let payment = match asked {
        Ok(payment) => payment,
        Err(why) => return fail(&ctx, job.deposit_id.get(), &why).await,
    };
    let pay_page = pakasir.pay_page(&deposit.public_id, deposit.amount);
    let image = qr::png(&payment.payment_number).map_err(JobError::permanent)?;
    let mut tx = ctx.pool.begin().await?;
    let overrides = crate::settings::Overrides::load(&mut tx).await?;
    let expires_at = overrides.invoice_expiry(payment.expired_at);
    let zone = settings.overridden(&overrides).timezone;
    let status = sqlx::query_scalar!(
        r#"SELECT status AS "status: DepositStatus" FROM deposits WHERE id = $1 FOR UPDATE"#,
        job.deposit_id.get()
    )
    .fetch_one(&mut *tx)
    .await?;
    let awaiting = status == DepositStatus::AwaitingPayment;
    let of = (Payable::Deposit(job.deposit_id), deposit.public_id.as_str());
    let opened = gateway::open(&mut tx, of, &payment, &pay_page, (expires_at, awaiting));
    if !opened.await? {
        ctx.commit(tx).await?;
        return Ok(());
    }
    let owner = owner(&mut tx, job.deposit_id.get()).await?;
    let t = &owner.texts;
    let expires = super::expiry(expires_at, zone);
    let caption = t.render(
        Text::DepositCaption,
        &[
            ("id", &deposit.public_id),
            ("amount", &rupiah(deposit.amount)),
            ("fee", &rupiah(payment.fee)),
            ("total", &rupiah(payment.total_payment)),
            ("expires", &expires),
        ],
    );
    let photo = qr::invoice_photo(
        &image,
        caption,
        Button::url(t.get(Text::ButtonPayInBrowser), pay_page),
        Vec::new(),
        Track::deposit(job.deposit_id.get()),
    );
    let shown = (photo, Track::deposit_placeholder(job.deposit_id.get()));
    let close = CloseDeposit {
        deposit_id: job.deposit_id,
    };
    gateway::show(&mut tx, owner.chat_id, shown, &close, expires_at).await?;
    ctx.commit(tx).await?;
    Ok(())
}

async fn fail(ctx: &JobContext, deposit_id: i64, why: &str) -> Result<(), JobError> {
    tracing::error!(deposit_id, why, "deposit invoice could not be created");
    let mut tx = ctx.pool.begin().await?;
    let failed = sqlx::query_scalar!(
        "UPDATE deposits SET status = 'failed', closed_at = now() WHERE id = $1 AND status = 'awaiting_payment' RETURNING public_id",
        deposit_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(public_id) = failed else {
        return Ok(());
    };
    sqlx::query!(
        "UPDATE invoices SET status = 'failed', error = $2, updated_at = now() WHERE deposit_id = $1 AND status = 'creating'",
        deposit_id,
        why
    )
    .execute(&mut *tx)
    .await?;
    let owner = owner(&mut tx, deposit_id).await?;
    let text = owner
        .texts
        .render(Text::DepositFailed, &[("id", &public_id)]);
    // The "invoice on its way" message (queued with the deposit, so found when this goes out)
    // becomes the failure.
    let message = Outgoing::EditTracked {
        track: Track::deposit_placeholder(deposit_id),
        text,
        buttons: None,
    };
    push(&mut tx, owner.chat_id, vec![message]).await?;
    ctx.commit(tx).await?;
    Ok(())
}

async fn close(job: CloseDeposit, ctx: JobContext) -> Result<(), JobError> {
    let deposit_id = job.deposit_id.get();
    let mut tx = ctx.pool.begin().await?;
    let closed = sqlx::query_scalar!(
        "UPDATE deposits SET status = 'expired', closed_at = now() WHERE id = $1 AND status = 'awaiting_payment' RETURNING public_id",
        deposit_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(public_id) = closed else {
        return Ok(());
    };
    let invoices = sqlx::query_scalar!(
        "UPDATE invoices SET status = 'expired', updated_at = now() WHERE deposit_id = $1 AND status IN ('creating', 'open') RETURNING id",
        deposit_id
    )
    .fetch_all(&mut *tx)
    .await?;
    super::cancel_at_gateway(&mut tx, invoices).await?;
    let owner = owner(&mut tx, deposit_id).await?;
    let t = &owner.texts;
    push(
        &mut tx,
        owner.chat_id,
        vec![
            Outgoing::ClearTracked {
                track: Track::deposit(deposit_id),
                fallback: t.render(Text::InvoiceClosedCaption, &[("id", &public_id)]),
            },
            Outgoing::text(t.render(Text::DepositExpired, &[("id", &public_id)])),
        ],
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(())
}

/// A confirmed payment for a deposit: credit it once (even after it expired: the money came),
/// under the deposit's row lock. Returns the verdict for the payment event.
pub async fn credit(
    tx: &mut PgConnection,
    deposit_id: i64,
    staff: &[i64],
) -> Result<&'static str, JobError> {
    let deposit = sqlx::query!(
        r#"SELECT public_id, user_id, amount, status AS "status: DepositStatus" FROM deposits WHERE id = $1 FOR UPDATE"#,
        deposit_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if deposit.status == DepositStatus::Paid {
        return Ok("duplicate");
    }
    let late = deposit.status != DepositStatus::AwaitingPayment;
    sqlx::query!(
        "UPDATE deposits SET status = 'paid', paid_at = now(), closed_at = coalesce(closed_at, now()) WHERE id = $1",
        deposit_id
    )
    .execute(&mut *tx)
    .await?;
    let balance = sqlx::query_scalar!(
        "UPDATE users SET balance = balance + $2, updated_at = now() WHERE id = $1 RETURNING balance",
        deposit.user_id,
        deposit.amount
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO balance_ledger (user_id, delta, balance_after, reason, deposit_id, actor)
           VALUES ($1, $2, $3, 'deposit', $4, 'pakasir')"#,
        deposit.user_id,
        deposit.amount,
        balance,
        deposit_id
    )
    .execute(&mut *tx)
    .await?;
    let owner = owner(tx, deposit_id).await?;
    let t = &owner.texts;
    push(
        tx,
        owner.chat_id,
        vec![
            Outgoing::ClearTracked {
                track: Track::deposit(deposit_id),
                fallback: t.render(Text::InvoicePaidCaption, &[("id", &deposit.public_id)]),
            },
            Outgoing::text(t.render(
                Text::DepositCredited,
                &[
                    ("id", &deposit.public_id),
                    ("amount", &rupiah(deposit.amount)),
                    ("balance", &rupiah(balance)),
                ],
            )),
        ],
    )
    .await?;
    let name = sqlx::query_scalar!(
        r#"SELECT coalesce(display_name, first_name) AS "name!" FROM users WHERE id = $1"#,
        deposit.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let values = [
        ("id", deposit.public_id.as_str()),
        ("amount", &rupiah(deposit.amount)),
        ("customer", &crate::ui::html::escape(&name)),
    ];
    crate::telegram::alert_staff_with(tx, staff, Text::AdminDepositPaid, &values).await?;
    crate::telemetry::record(&mut *tx, "deposits.paid", 1).await?;
    Ok(if late { "late" } else { "accepted" })
}
