-- Telegram in and out.

-- Every update received, once (its update_id is Telegram's unique, increasing id). The
-- telegram.update job of an update handles, under the chat's lock, every earlier unhandled
-- update of the same chat first, so a chat's updates are handled one at a time and in order
-- whichever worker gets which job first.
CREATE TABLE telegram_updates (
    update_id    BIGINT PRIMARY KEY,
    chat_id      BIGINT,
    payload      JSONB NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    handled_at   TIMESTAMPTZ,
    error        TEXT
);
CREATE INDEX telegram_updates_unhandled_idx ON telegram_updates (chat_id, update_id) WHERE handled_at IS NULL;
CREATE INDEX telegram_updates_received_idx ON telegram_updates (received_at);

-- Outgoing messages: one ordered batch per row, sent by its telegram.send job. `cursor` is the
-- index of the next message to send, persisted after each one, so a retry resumes after the
-- last message that went out. Batches of one chat go out in id order (the send job takes the
-- chat's lock and sends every earlier unfinished batch first).
CREATE TABLE telegram_outbox (
    id           BIGSERIAL PRIMARY KEY,
    chat_id      BIGINT NOT NULL,
    messages     JSONB NOT NULL CHECK (jsonb_typeof(messages) = 'array'),
    cursor       INTEGER NOT NULL DEFAULT 0,
    -- Ids of the messages Telegram created, in batch order (null for edits and deletes).
    sent_ids     BIGINT[] NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'unreachable', 'failed')),
    error        TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ
);
CREATE INDEX telegram_outbox_pending_idx ON telegram_outbox (chat_id, id) WHERE status = 'pending';
CREATE INDEX telegram_outbox_finished_idx ON telegram_outbox (finished_at) WHERE status <> 'pending';

-- Small durable state of the Telegram side (the long poller's offset).
CREATE TABLE telegram_state (
    key         TEXT PRIMARY KEY,
    value       BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
