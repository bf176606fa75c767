//! Every kind of job the system knows, with the rules that travel with it.
//!
//! A job kind is a payload type implementing [`Job`]. Its constants say which queue runs it,
//! how urgent it is and how many attempts it gets; [`Job::idempotency_key`] says when two
//! enqueues are the same logical job. On the wire a job is an [`Envelope`]: the kind's name
//! and its payload as JSON, stored in `apalis.jobs.job` with `job_type` = the queue name.

use chrono::{DateTime, Utc};
use domain::{
    BatchId, BroadcastId, ChatId, DepositId, InvoiceId, OrderId, PaymentEventId, VariantId,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::QueueError;

/// A named queue. Each runs with its own concurrency, and `worker --queues` picks which ones a
/// process serves, so slow work (a backup) never holds up urgent work (a payment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Queue {
    /// `telegram.update`: what customers and admins send the bot.
    Updates,
    /// `telegram.send`, `telegram.answer_callback`: everything the bot says.
    Telegram,
    /// Invoices, payment confirmations, deliveries, expiries: money and goods.
    Payments,
    /// Audit rows, telemetry, maintenance: the shop's own bookkeeping.
    System,
    /// `diagnostic.probe`: pipeline checks and benchmarks.
    Diagnostic,
}

impl Queue {
    pub const ALL: [Queue; 5] = [
        Queue::Updates,
        Queue::Telegram,
        Queue::Payments,
        Queue::System,
        Queue::Diagnostic,
    ];

    /// The queue's name, which is also apalis's `job_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Queue::Updates => "updates",
            Queue::Telegram => "telegram",
            Queue::Payments => "payments",
            Queue::System => "system",
            Queue::Diagnostic => "diagnostic",
        }
    }

    /// How many jobs of this queue one process runs at once unless configured otherwise.
    pub fn default_concurrency(self) -> usize {
        match self {
            Queue::Updates => 8,
            Queue::Telegram => 8,
            Queue::Payments => 8,
            Queue::System => 4,
            Queue::Diagnostic => 16,
        }
    }

    pub(crate) fn names() -> String {
        Self::ALL.map(Queue::as_str).join(", ")
    }
}

crate::named! { Queue, UnknownQueue }

/// A kind of job: its payload plus the rules for running it.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Stable name, `family.action`. Stored in every job row: never rename one that has shipped.
    const KIND: &'static str;
    const QUEUE: Queue;
    /// Higher runs first within a queue.
    const PRIORITY: i32 = 0;
    /// Attempts before the job is kept as failed (snoozes do not count).
    const MAX_ATTEMPTS: i32 = 8;

    /// Two enqueues with the same key (within the job's queue) are one job: the second does
    /// nothing. `None` makes every enqueue a new job.
    fn idempotency_key(&self) -> Option<String>;
}

/// The stored form of every job: which kind it is and its payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope {
    pub kind: String,
    pub args: serde_json::Value,
}

impl Envelope {
    pub fn of<J: Job>(job: &J) -> Result<Self, QueueError> {
        let args = serde_json::to_value(job).map_err(|source| QueueError::Encode {
            kind: J::KIND,
            source,
        })?;
        Ok(Self {
            kind: J::KIND.to_owned(),
            args,
        })
    }
}

/// `audit.write`: one row in `audit_log` and one JSON line in `logs/audit/YYYY-MM-DD.log`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditWrite {
    pub at: DateTime<Utc>,
    /// Who did it: `tg:<telegram id>`, `cli:<os user>`, `web:<admin>`, `system`.
    pub actor: String,
    /// What was done, `entity.verb`: `job.retry`, `product.update`, ...
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Job for AuditWrite {
    const KIND: &'static str = "audit.write";
    const QUEUE: Queue = Queue::System;
    const MAX_ATTEMPTS: i32 = 20;

    fn idempotency_key(&self) -> Option<String> {
        None
    }
}

/// `telegram.update`: handle one update from Telegram (stored in `telegram_updates` by the
/// ingress in the same transaction) — and, first, every earlier unhandled update of its chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelegramUpdate {
    pub update_id: i64,
    /// None for updates that belong to no chat (they are handled alone).
    pub chat_id: Option<ChatId>,
}

impl Job for TelegramUpdate {
    const KIND: &'static str = "telegram.update";
    const QUEUE: Queue = Queue::Updates;
    const PRIORITY: i32 = 1;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.update_id))
    }
}

/// `telegram.send`: send one ordered batch from `telegram_outbox` — and, first, every
/// earlier unfinished batch of the same chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelegramSend {
    pub batch_id: BatchId,
    pub chat_id: ChatId,
}

impl Job for TelegramSend {
    const KIND: &'static str = "telegram.send";
    const QUEUE: Queue = Queue::Telegram;
    const PRIORITY: i32 = 1;
    const MAX_ATTEMPTS: i32 = 10;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.batch_id))
    }
}

/// `telegram.answer_callback`: stop the spinner on a pressed button, optionally with a notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelegramAnswerCallback {
    pub callback_query_id: String,
    pub text: Option<String>,
    pub show_alert: bool,
}

impl Job for TelegramAnswerCallback {
    const KIND: &'static str = "telegram.answer_callback";
    const QUEUE: Queue = Queue::Telegram;
    const PRIORITY: i32 = 2;
    const MAX_ATTEMPTS: i32 = 3;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.callback_query_id))
    }
}

/// `payment.create_invoice`: ask Pakasir for the order's QRIS transaction and send the
/// customer the QR photo; on a permanent failure release the order's reservation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateInvoice {
    pub order_id: OrderId,
}

impl Job for CreateInvoice {
    const KIND: &'static str = "payment.create_invoice";
    const QUEUE: Queue = Queue::Payments;
    const PRIORITY: i32 = 2;
    const MAX_ATTEMPTS: i32 = 6;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.order_id))
    }
}

/// `payment.confirm`: check a recorded webhook (project, amount, transactiondetail) and, when
/// it holds, mark the order paid and its contents sold in one transaction.
///
/// Keyed by everything the notice claims (order, status, amount, project): a repeated notice
/// is one job, while a forged one with another amount or project cannot take the place of
/// the real one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfirmPayment {
    /// The `payment_events` row.
    pub event_id: PaymentEventId,
    pub order_ref: String,
    pub status: String,
    pub amount: i64,
    pub project: String,
}

impl Job for ConfirmPayment {
    const KIND: &'static str = "payment.confirm";
    const QUEUE: Queue = Queue::Payments;
    const PRIORITY: i32 = 3;
    const MAX_ATTEMPTS: i32 = 10;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}:{}:{}",
            Self::KIND,
            self.order_ref,
            self.status,
            self.amount,
            self.project
        ))
    }
}

/// `order.deliver`: send a paid order's goods, once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliverOrder {
    pub order_id: OrderId,
}

impl Job for DeliverOrder {
    const KIND: &'static str = "order.deliver";
    const QUEUE: Queue = Queue::Payments;
    const PRIORITY: i32 = 3;
    const MAX_ATTEMPTS: i32 = 20;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.order_id))
    }
}

/// Why an unpaid order closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The invoice's time ran out.
    Expired,
    /// The customer pressed cancel.
    Cancelled,
}

/// `order.close`: close an unpaid order (expired or cancelled): release its contents, cancel
/// the transaction at Pakasir, remove the invoice photo, tell the customer once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloseOrder {
    pub order_id: OrderId,
    pub reason: CloseReason,
}

impl Job for CloseOrder {
    const KIND: &'static str = "order.close";
    const QUEUE: Queue = Queue::Payments;
    const PRIORITY: i32 = 1;

    fn idempotency_key(&self) -> Option<String> {
        let reason = match self.reason {
            CloseReason::Expired => "expired",
            CloseReason::Cancelled => "cancelled",
        };
        Some(format!("{}:{}:{reason}", Self::KIND, self.order_id))
    }
}

/// `deposit.create_invoice`: the QRIS transaction and QR photo of a balance top-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateDepositInvoice {
    pub deposit_id: DepositId,
}

impl Job for CreateDepositInvoice {
    const KIND: &'static str = "deposit.create_invoice";
    const QUEUE: Queue = Queue::Payments;
    const PRIORITY: i32 = 2;
    const MAX_ATTEMPTS: i32 = 6;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.deposit_id))
    }
}

/// `deposit.close`: an unpaid top-up's invoice expired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloseDeposit {
    pub deposit_id: DepositId,
}

impl Job for CloseDeposit {
    const KIND: &'static str = "deposit.close";
    const QUEUE: Queue = Queue::Payments;
    const PRIORITY: i32 = 1;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.deposit_id))
    }
}

/// `payment.cancel_at_gateway`: tell Pakasir a closed invoice must stop being payable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CancelAtGateway {
    pub invoice_id: InvoiceId,
}

impl Job for CancelAtGateway {
    const KIND: &'static str = "payment.cancel_at_gateway";
    const QUEUE: Queue = Queue::Payments;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.invoice_id))
    }
}

/// `admin.import_contents`: download an admin's uploaded .txt of contents and add them to a
/// product or to the add-product wizard's draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportContents {
    /// The admin's chat: told the outcome; its wizard holds the draft.
    pub chat_id: ChatId,
    /// Who uploaded it, for the audit trail (`tg:<id>`).
    pub actor: String,
    pub file_id: String,
    pub target: ImportTarget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportTarget {
    /// More contents for a variant. Written `product` as before variants: a product's id is its
    /// first variant's, so a file queued by an earlier version lands where it was sent.
    #[serde(rename = "product")]
    Variant(VariantId),
    /// A price list (`.csv`), previewed before it applies.
    PriceList,
    /// The new product the chat's wizard is putting together.
    Draft,
}

impl Job for ImportContents {
    const KIND: &'static str = "admin.import_contents";
    const QUEUE: Queue = Queue::System;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}:{}", Self::KIND, self.chat_id, self.file_id))
    }
}

/// `broadcast.send`: send a started broadcast to its recipients, paced, resumable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BroadcastSend {
    pub broadcast_id: BroadcastId,
}

impl Job for BroadcastSend {
    const KIND: &'static str = "broadcast.send";
    const QUEUE: Queue = Queue::Telegram;
    const MAX_ATTEMPTS: i32 = 50;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.broadcast_id))
    }
}

/// `backup.run`: the periodic encrypted database backup, then pruning. `slot` is the period
/// it was enqueued for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupRun {
    pub slot: i64,
}

impl Job for BackupRun {
    const KIND: &'static str = "backup.run";
    const QUEUE: Queue = Queue::System;
    const MAX_ATTEMPTS: i32 = 3;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.slot))
    }
}

/// `telemetry.flush`: moves the counters recorded in `telemetry_events` into
/// `telemetry_daily`. Periodic; `slot` is the period it was enqueued for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelemetryFlush {
    pub slot: i64,
}

impl Job for TelemetryFlush {
    const KIND: &'static str = "telemetry.flush";
    const QUEUE: Queue = Queue::System;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.slot))
    }
}

/// `maintenance.sweep`: the periodic safety net — retention of finished jobs and whatever
/// later features register (overdue invoices, stock integrity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceSweep {
    pub slot: i64,
}

impl Job for MaintenanceSweep {
    const KIND: &'static str = "maintenance.sweep";
    const QUEUE: Queue = Queue::System;
    const PRIORITY: i32 = 1;

    fn idempotency_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.slot))
    }
}

/// `diagnostic.probe`: a job that does exactly what it is told, so an operator (and the tests
/// and the benchmark) can watch the queue machinery work: retries, snoozes, panics, crashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// Groups probes for reading back (`probe_runs.label`).
    pub label: String,
    pub mode: ProbeMode,
    /// Probes with equal keys are one job.
    pub key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeMode {
    /// Nothing at all: measures the queue alone.
    Noop,
    /// One `probe_runs` row: the smallest real database effect.
    WriteRow,
    /// Every execution is recorded in `probe_runs`; see [`ProbeScript`].
    Script(ProbeScript),
    /// A `probe_runs` row, then a second one with the same primary key: a job whose database
    /// effect breaks a rule of the schema, so no retry can make it succeed.
    BreakRule,
}

/// Executions go through these phases in order, counting earlier executions of the same job:
/// `snoozes` executions snooze for `snooze_ms`, then `failures` executions fail, then `panics`
/// executions panic; after that the probe fails for good if `permanent`, else sleeps
/// `sleep_ms` and completes (marking its `probe_runs` row completed exactly once per job).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProbeScript {
    pub sleep_ms: u64,
    pub snoozes: u32,
    pub snooze_ms: u64,
    pub failures: u32,
    pub panics: u32,
    pub permanent: bool,
}

impl Job for Probe {
    const KIND: &'static str = "diagnostic.probe";
    const QUEUE: Queue = Queue::Diagnostic;
    const MAX_ATTEMPTS: i32 = 3;

    fn idempotency_key(&self) -> Option<String> {
        self.key.as_ref().map(|k| format!("{}:{k}", Self::KIND))
    }
}
