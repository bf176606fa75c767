-- Admin features (#5): low-stock alerts, broadcasts that resume without duplicates, a shared
-- send pace across replicas.

-- Set when admins were told a product's stock fell below its threshold; cleared by a restock
-- (or a new threshold), so each crossing alerts once.
ALTER TABLE products ADD COLUMN low_stock_alerted_at TIMESTAMPTZ;

-- `sending`: claimed, its message possibly out. A crash leaves it so, and the resumed
-- broadcast marks it failed rather than risk a second copy.
ALTER TABLE broadcast_recipients DROP CONSTRAINT broadcast_recipients_status_check;
ALTER TABLE broadcast_recipients ADD CONSTRAINT broadcast_recipients_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unreachable', 'cancelled'));

-- The admin's progress message, edited in place while the broadcast runs.
ALTER TABLE broadcasts ADD COLUMN progress_chat_id BIGINT;
ALTER TABLE broadcasts ADD COLUMN progress_message_id BIGINT;

-- Send slots handed out one after another (`next_at` moves by 1/rate per message), shared by
-- every replica.
CREATE TABLE send_pace (
    name     TEXT PRIMARY KEY,
    next_at  TIMESTAMPTZ NOT NULL
);

-- Owner alerts raised by the maintenance sweep (failed jobs, a stuck queue), one row per kind
-- while it lasts: an alert is sent when it starts, when it grows, and again after
-- OWNER_ALERT_REPEAT; the row goes (with a "resolved" message) when the condition ends.
CREATE TABLE owner_alerts (
    key       TEXT PRIMARY KEY,
    level     BIGINT NOT NULL,
    detail    TEXT NOT NULL,
    sent_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
