-- The whole shop, first version. Later issues extend it with new migrations; nothing in the
-- application creates or alters tables at run time.
--
-- Conventions:
-- * money is whole rupiah in BIGINT, never negative where a negative value makes no sense;
-- * every status column has a CHECK listing its legal values; transitions are guarded in
--   the queries (`UPDATE ... WHERE status = <expected>`), not here;
-- * stock is never stored: it is the number of `product_contents` rows in state `available`.

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    telegram_id     BIGINT NOT NULL UNIQUE,
    username        TEXT,
    first_name      TEXT NOT NULL DEFAULT '',
    last_name       TEXT,
    display_name    TEXT,
    language_code   TEXT,
    locale          TEXT NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
    balance         BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),
    is_blocked      BOOLEAN NOT NULL DEFAULT FALSE,
    blocked_reason  TEXT,
    -- Telegram answered 403 or "chat not found": nothing more is sent until they write again.
    unreachable_at  TIMESTAMPTZ,
    last_seen_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX users_username_idx ON users (lower(username));

-- Admins added inside the bot; owners and the configured admins come from configuration.
CREATE TABLE admins (
    telegram_id BIGINT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'owner')),
    added_by    BIGINT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE categories (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    emoji       TEXT NOT NULL DEFAULT '🗂️',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id                   BIGSERIAL PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name                 TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    description          TEXT NOT NULL DEFAULT '',
    price                BIGINT NOT NULL CHECK (price > 0),
    category_id          BIGINT REFERENCES categories (id) ON DELETE SET NULL,
    -- Syarat & Ketentuan shown after delivery; NULL when the product has none.
    terms                TEXT,
    low_stock_threshold  INTEGER CHECK (low_stock_threshold >= 0),
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX products_category_idx ON products (category_id) WHERE status = 'active';

CREATE TABLE vouchers (
    id                 BIGSERIAL PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
    kind               TEXT NOT NULL CHECK (kind IN ('percent', 'flat')),
    value              BIGINT NOT NULL CHECK (value > 0),
    min_order          BIGINT NOT NULL DEFAULT 0 CHECK (min_order >= 0),
    max_uses           INTEGER CHECK (max_uses > 0),
    max_uses_per_user  INTEGER CHECK (max_uses_per_user > 0),
    valid_from         TIMESTAMPTZ,
    valid_until        TIMESTAMPTZ,
    is_active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_by         BIGINT,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (kind <> 'percent' OR value <= 100),
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);

-- Order life: awaiting_payment -> paid -> delivered; awaiting_payment -> expired | cancelled;
-- paid | delivered -> refunded (to balance).
CREATE TABLE orders (
    id              BIGSERIAL PRIMARY KEY,
    -- The id shown to customers and sent to Pakasir as order_id.
    public_id       TEXT NOT NULL UNIQUE,
    user_id         BIGINT NOT NULL REFERENCES users (id),
    status          TEXT NOT NULL DEFAULT 'awaiting_payment'
                    CHECK (status IN ('awaiting_payment', 'paid', 'delivered', 'expired', 'cancelled', 'refunded')),
    payment_method  TEXT NOT NULL CHECK (payment_method IN ('qris', 'balance')),
    subtotal        BIGINT NOT NULL CHECK (subtotal > 0),
    discount        BIGINT NOT NULL DEFAULT 0 CHECK (discount >= 0),
    total           BIGINT NOT NULL CHECK (total >= 0),
    voucher_id      BIGINT REFERENCES vouchers (id),
    -- A double tap on "pay" carries the same key and finds the order already made.
    checkout_key    TEXT UNIQUE,
    expires_at      TIMESTAMPTZ,
    paid_at         TIMESTAMPTZ,
    delivered_at    TIMESTAMPTZ,
    closed_at       TIMESTAMPTZ,
    close_reason    TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (total = subtotal - discount),
    CHECK (status <> 'awaiting_payment' OR payment_method = 'qris')
);
CREATE INDEX orders_user_idx ON orders (user_id, created_at DESC);
CREATE INDEX orders_open_idx ON orders (expires_at) WHERE status = 'awaiting_payment';

CREATE TABLE order_items (
    id            BIGSERIAL PRIMARY KEY,
    order_id      BIGINT NOT NULL REFERENCES orders (id),
    product_id    BIGINT NOT NULL REFERENCES products (id),
    product_name  TEXT NOT NULL,
    unit_price    BIGINT NOT NULL CHECK (unit_price > 0),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    UNIQUE (order_id, product_id)
);

-- Content life: available -> reserved (an order awaiting payment) -> sold (a paid order);
-- reserved -> available when that order expires or is cancelled.
CREATE TABLE product_contents (
    id           BIGSERIAL PRIMARY KEY,
    product_id   BIGINT NOT NULL REFERENCES products (id),
    content      TEXT NOT NULL CHECK (length(content) BETWEEN 1 AND 4000),
    state        TEXT NOT NULL DEFAULT 'available' CHECK (state IN ('available', 'reserved', 'sold')),
    order_id     BIGINT REFERENCES orders (id),
    reserved_at  TIMESTAMPTZ,
    sold_at      TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (product_id, content),
    CHECK ((state = 'available') = (order_id IS NULL)),
    CHECK (state <> 'sold' OR sold_at IS NOT NULL)
);
CREATE INDEX product_contents_available_idx ON product_contents (product_id, id) WHERE state = 'available';
CREATE INDEX product_contents_order_idx ON product_contents (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE carts (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id),
    voucher_id  BIGINT REFERENCES vouchers (id),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE cart_items (
    user_id     BIGINT NOT NULL REFERENCES carts (user_id) ON DELETE CASCADE,
    product_id  BIGINT NOT NULL REFERENCES products (id),
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    added_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

-- Deposit life: awaiting_payment -> paid; awaiting_payment -> expired | cancelled | failed.
CREATE TABLE deposits (
    id          BIGSERIAL PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    amount      BIGINT NOT NULL CHECK (amount > 0),
    status      TEXT NOT NULL DEFAULT 'awaiting_payment'
                CHECK (status IN ('awaiting_payment', 'paid', 'expired', 'cancelled', 'failed')),
    expires_at  TIMESTAMPTZ,
    paid_at     TIMESTAMPTZ,
    closed_at   TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX deposits_user_idx ON deposits (user_id, created_at DESC);

-- One Pakasir transaction, for an order or for a deposit.
-- Life: creating -> open -> paid | expired | cancelled; creating -> failed.
CREATE TABLE invoices (
    id                BIGSERIAL PRIMARY KEY,
    order_id          BIGINT REFERENCES orders (id),
    deposit_id        BIGINT REFERENCES deposits (id),
    user_id           BIGINT NOT NULL REFERENCES users (id),
    gateway_order_id  TEXT NOT NULL UNIQUE,
    method            TEXT NOT NULL DEFAULT 'qris',
    -- What we asked Pakasir for; a webhook must carry exactly this amount.
    amount            BIGINT NOT NULL CHECK (amount > 0),
    -- Pakasir's own numbers from transactioncreate; the customer pays total_payment.
    fee               BIGINT CHECK (fee >= 0),
    total_payment     BIGINT CHECK (total_payment >= amount),
    qr_string         TEXT,
    payment_url       TEXT,
    status            TEXT NOT NULL DEFAULT 'creating'
                      CHECK (status IN ('creating', 'open', 'paid', 'expired', 'cancelled', 'failed')),
    error             TEXT,
    expires_at        TIMESTAMPTZ,
    paid_at           TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((order_id IS NULL) <> (deposit_id IS NULL))
);
CREATE UNIQUE INDEX invoices_one_open_per_order ON invoices (order_id) WHERE status IN ('creating', 'open');
CREATE INDEX invoices_open_per_user ON invoices (user_id) WHERE status IN ('creating', 'open');
CREATE INDEX invoices_expiry_idx ON invoices (expires_at) WHERE status = 'open';

-- Every balance change is one row here, written in the same transaction as the change.
-- Rows are never updated or deleted (enforced by the trigger below).
CREATE TABLE balance_ledger (
    id             BIGSERIAL PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id),
    delta          BIGINT NOT NULL CHECK (delta <> 0),
    balance_after  BIGINT NOT NULL CHECK (balance_after >= 0),
    reason         TEXT NOT NULL CHECK (reason IN ('deposit', 'purchase', 'refund', 'adjustment', 'late_payment')),
    order_id       BIGINT REFERENCES orders (id),
    deposit_id     BIGINT REFERENCES deposits (id),
    actor          TEXT NOT NULL,
    note           TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX balance_ledger_user_idx ON balance_ledger (user_id, id);
-- One purchase debit per order, one credit per deposit: a replay cannot move money twice.
CREATE UNIQUE INDEX balance_ledger_one_purchase ON balance_ledger (order_id) WHERE reason = 'purchase';
CREATE UNIQUE INDEX balance_ledger_one_deposit ON balance_ledger (deposit_id) WHERE reason = 'deposit';

CREATE FUNCTION forbid_change() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$;
CREATE TRIGGER balance_ledger_append_only BEFORE UPDATE OR DELETE ON balance_ledger
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE voucher_redemptions (
    id          BIGSERIAL PRIMARY KEY,
    voucher_id  BIGINT NOT NULL REFERENCES vouchers (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    order_id    BIGINT NOT NULL UNIQUE REFERENCES orders (id),
    discount    BIGINT NOT NULL CHECK (discount > 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX voucher_redemptions_voucher_idx ON voucher_redemptions (voucher_id, user_id);

-- Raw payment webhooks, recorded before anything else looks at them.
CREATE TABLE payment_events (
    id           BIGSERIAL PRIMARY KEY,
    source       TEXT NOT NULL DEFAULT 'pakasir',
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    remote_addr  TEXT,
    headers      JSONB NOT NULL DEFAULT '{}',
    body         BYTEA NOT NULL,
    order_ref    TEXT,
    status       TEXT,
    amount       BIGINT,
    verdict      TEXT NOT NULL DEFAULT 'received'
                 CHECK (verdict IN ('received', 'malformed', 'accepted', 'duplicate', 'rejected', 'late')),
    note         TEXT
);
CREATE INDEX payment_events_order_ref_idx ON payment_events (order_ref);

-- Telegram messages that must be deleted or edited later (invoice photos, admin alerts).
CREATE TABLE tracked_messages (
    id          BIGSERIAL PRIMARY KEY,
    chat_id     BIGINT NOT NULL,
    message_id  BIGINT NOT NULL,
    purpose     TEXT NOT NULL CHECK (purpose IN ('invoice', 'deposit_invoice', 'admin_order_alert', 'admin_deposit_alert', 'broadcast_progress', 'menu')),
    order_id    BIGINT REFERENCES orders (id),
    deposit_id  BIGINT REFERENCES deposits (id),
    sent_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    cleared_at  TIMESTAMPTZ,
    UNIQUE (chat_id, message_id)
);
CREATE INDEX tracked_messages_order_idx ON tracked_messages (order_id) WHERE cleared_at IS NULL;
CREATE INDEX tracked_messages_deposit_idx ON tracked_messages (deposit_id) WHERE cleared_at IS NULL;

-- Conversation state of one chat: a typed enum serialised as JSON, with an expiry after which
-- it is ignored (so a stale state never blocks a menu).
CREATE TABLE conversations (
    chat_id     BIGINT PRIMARY KEY,
    state       JSONB NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Customer-facing texts edited by admins; the defaults live in the code.
CREATE TABLE templates (
    key         TEXT NOT NULL,
    locale      TEXT NOT NULL CHECK (locale IN ('id', 'en')),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4096),
    updated_by  BIGINT,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (key, locale)
);

-- Settings changed at run time by admins (store name, invoice lifetime, ...); configuration
-- gives the defaults.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       JSONB NOT NULL,
    updated_by  BIGINT,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
    id               BIGSERIAL PRIMARY KEY,
    at               TIMESTAMPTZ NOT NULL,
    actor            TEXT NOT NULL,
    action           TEXT NOT NULL,
    entity_type      TEXT NOT NULL,
    entity_id        TEXT,
    before           JSONB,
    after            JSONB,
    -- The audit.write job that wrote the row: a retried job finds its row and writes no second one.
    job_id           TEXT NOT NULL UNIQUE,
    file_written_at  TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

-- Counters recorded by any transaction (an order paid, a webhook rejected, ...); the periodic
-- telemetry.flush job moves them into telemetry_daily.
CREATE TABLE telemetry_events (
    id      BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    metric  TEXT NOT NULL CHECK (metric ~ '^[a-z0-9_.]{1,64}$'),
    value   BIGINT NOT NULL
);

-- One row per day (in the shop's time zone) and metric; flushes add, never overwrite.
CREATE TABLE telemetry_daily (
    day         DATE NOT NULL,
    metric      TEXT NOT NULL,
    value       BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (day, metric)
);

-- Broadcast life: draft -> running -> done | cancelled.
CREATE TABLE broadcasts (
    id             BIGSERIAL PRIMARY KEY,
    created_by     BIGINT NOT NULL,
    text           TEXT,
    photo_file_id  TEXT,
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'done', 'cancelled')),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    CHECK (text IS NOT NULL OR photo_file_id IS NOT NULL)
);

CREATE TABLE broadcast_recipients (
    broadcast_id  BIGINT NOT NULL REFERENCES broadcasts (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'unreachable', 'cancelled')),
    error         TEXT,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (broadcast_id, user_id)
);
CREATE INDEX broadcast_recipients_pending_idx ON broadcast_recipients (broadcast_id) WHERE status = 'pending';
