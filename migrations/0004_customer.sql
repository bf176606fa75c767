-- The customer shop: cart versions, persisted anti-spam counters, the one-time blocked notice.

-- Bumped by every change to a cart; the checkout summary's pay buttons carry it, so a button
-- from before a change is recognised as stale.
ALTER TABLE carts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- A blocked customer is told once; unblocking clears this.
ALTER TABLE users ADD COLUMN blocked_notified_at TIMESTAMPTZ;

-- Actions per customer in a fixed window. Updates of one chat are handled one at a time, so
-- a customer's row is never written by two transactions at once.
CREATE TABLE rate_limits (
    telegram_id   BIGINT PRIMARY KEY,
    window_start  TIMESTAMPTZ NOT NULL,
    hits          INTEGER NOT NULL CHECK (hits > 0),
    warned        BOOLEAN NOT NULL DEFAULT FALSE
);
