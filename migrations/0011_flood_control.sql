-- Telegram's limits as shared state, so every job on every replica keeps them.

-- One row per chat the bot talks to, and row 0 for the bot as a whole.
--  * pacing: `tat` is the generic cell rate algorithm's "theoretical arrival time": a call may
--    go when it leaves the row at most `burst` intervals ahead of now (telegram_slot);
--  * flood control: after a 429 `retry_after`, nothing goes to the chat (row 0: to any chat)
--    before `blocked_until` (telegram_flooded).
CREATE TABLE telegram_pace (
    chat_id        BIGINT PRIMARY KEY,
    tat            TIMESTAMPTZ NOT NULL DEFAULT now(),
    blocked_until  TIMESTAMPTZ,
    floods         INTEGER NOT NULL DEFAULT 0,
    last_flood_at  TIMESTAMPTZ
);
CREATE INDEX telegram_pace_flood_idx ON telegram_pace (last_flood_at) WHERE last_flood_at IS NOT NULL;
INSERT INTO telegram_pace (chat_id) VALUES (0);

-- What each message the bot sent or edited shows (hashes of its text or caption and of its
-- inline keyboard), so an edit that would change nothing is not sent.
CREATE TABLE telegram_faces (
    chat_id     BIGINT NOT NULL,
    message_id  BIGINT NOT NULL,
    body        BIGINT NOT NULL,
    markup      BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX telegram_faces_updated_idx ON telegram_faces (updated_at);

-- Who is waiting for a batch: a person talking to the bot (`reply`) goes before staff
-- alerts (`alert`), and both before broadcasts.
ALTER TABLE telegram_outbox ADD COLUMN class TEXT NOT NULL DEFAULT 'reply' CHECK (class IN ('reply', 'alert'));

-- The broadcast progress message and folded staff notices are tracked messages too.
ALTER TABLE tracked_messages ADD COLUMN broadcast_id BIGINT REFERENCES broadcasts (id);
ALTER TABLE tracked_messages DROP CONSTRAINT tracked_messages_purpose_check;
ALTER TABLE tracked_messages ADD CONSTRAINT tracked_messages_purpose_check CHECK (purpose IN (
    'invoice', 'deposit_invoice', 'admin_order_alert', 'admin_deposit_alert', 'broadcast_progress',
    'menu', 'invoice_placeholder', 'notice_digest'));

-- May a call to `p_chat` go now? Either `wait` = 0 and the slot is taken (the bot's, and for
-- a new message, `p_chat_interval` > 0, the chat's), or `wait` says how many seconds until one could, and nothing is taken. `unchanged`
-- (nothing taken) when the call edits message `p_edited` into what it already shows: body
-- `p_body` (null: the edit keeps the body) and keyboard `p_markup`. `p_chat` 0 checks only the
-- bot's flood control (a call bound to no chat).
CREATE FUNCTION telegram_slot(
    p_chat BIGINT,
    p_chat_interval DOUBLE PRECISION,
    p_chat_burst DOUBLE PRECISION,
    p_bot_interval DOUBLE PRECISION,
    p_bot_burst DOUBLE PRECISION,
    p_edited BIGINT,
    p_body BIGINT,
    p_markup BIGINT,
    OUT wait DOUBLE PRECISION,
    OUT unchanged BOOLEAN)
LANGUAGE plpgsql AS $$
DECLARE
    t TIMESTAMPTZ := clock_timestamp();
    bot telegram_pace%ROWTYPE;
    chat telegram_pace%ROWTYPE;
    bot_tat TIMESTAMPTZ;
    chat_tat TIMESTAMPTZ;
BEGIN
    wait := 0;
    unchanged := p_edited IS NOT NULL AND EXISTS (
        SELECT 1 FROM telegram_faces f
        WHERE f.chat_id = p_chat AND f.message_id = p_edited
          AND (p_body IS NULL OR f.body = p_body) AND f.markup = p_markup);
    IF unchanged THEN
        RETURN;
    END IF;
    SELECT * INTO bot FROM telegram_pace WHERE chat_id = 0 FOR UPDATE;
    IF bot.blocked_until > t THEN
        wait := extract(epoch FROM bot.blocked_until - t);
        RETURN;
    END IF;
    IF p_chat = 0 THEN
        RETURN;
    END IF;
    INSERT INTO telegram_pace (chat_id, tat) VALUES (p_chat, t) ON CONFLICT (chat_id) DO NOTHING;
    SELECT * INTO chat FROM telegram_pace WHERE chat_id = p_chat FOR UPDATE;
    IF chat.blocked_until > t THEN
        wait := extract(epoch FROM chat.blocked_until - t);
        RETURN;
    END IF;
    bot_tat := greatest(bot.tat, t) + make_interval(secs => p_bot_interval);
    wait := greatest(extract(epoch FROM bot_tat - t) - p_bot_interval * p_bot_burst, 0);
    -- Only new messages are paced per chat (p_chat_interval 0: an edit or a delete).
    IF p_chat_interval > 0 THEN
        chat_tat := greatest(chat.tat, t) + make_interval(secs => p_chat_interval);
        wait := greatest(wait, extract(epoch FROM chat_tat - t) - p_chat_interval * p_chat_burst);
    END IF;
    IF wait > 0 THEN
        RETURN;
    END IF;
    IF p_chat_interval > 0 THEN
        UPDATE telegram_pace SET tat = chat_tat WHERE chat_id = p_chat;
    END IF;
    UPDATE telegram_pace SET tat = bot_tat WHERE chat_id = 0;
END;
$$;

-- Telegram answered a call to `p_chat` with 429 `retry_after` = `p_seconds`: nothing goes to
-- that chat until then. When three or more chats were flooded within two seconds (or the call
-- was bound to no chat, `p_chat` 0), the bot as a whole is: nothing goes anywhere until then.
-- True when the bot as a whole is flooded.
CREATE FUNCTION telegram_flooded(p_chat BIGINT, p_seconds DOUBLE PRECISION) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
    t TIMESTAMPTZ := clock_timestamp();
    until TIMESTAMPTZ := clock_timestamp() + make_interval(secs => p_seconds);
    flooded_chats INTEGER;
BEGIN
    -- The bot's row first, as telegram_slot takes them, so the two never deadlock.
    PERFORM 1 FROM telegram_pace WHERE chat_id = 0 FOR UPDATE;
    INSERT INTO telegram_pace AS p (chat_id, tat, blocked_until, floods, last_flood_at)
    VALUES (p_chat, t, until, 1, t)
    ON CONFLICT (chat_id) DO UPDATE
    SET blocked_until = greatest(coalesce(p.blocked_until, t), until),
        floods = p.floods + 1,
        last_flood_at = t;
    IF p_chat = 0 THEN
        RETURN TRUE;
    END IF;
    SELECT count(*) INTO flooded_chats FROM telegram_pace
    WHERE chat_id <> 0 AND last_flood_at > t - interval '2 seconds';
    IF flooded_chats < 3 THEN
        RETURN FALSE;
    END IF;
    UPDATE telegram_pace
    SET blocked_until = greatest(coalesce(blocked_until, t), until),
        floods = floods + 1,
        last_flood_at = t
    WHERE chat_id = 0;
    RETURN TRUE;
END;
$$;

-- Staff notices folded per staff chat and window (rejected payment notices): the first of a
-- window is sent, the rest edit it with the count by reason and the latest few.
CREATE TABLE notice_digests (
    id            BIGSERIAL PRIMARY KEY,
    chat_id       BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    counts        JSONB NOT NULL DEFAULT '{}'::jsonb,
    latest        JSONB NOT NULL DEFAULT '[]'::jsonb,
    total         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (chat_id, kind, window_start)
);
ALTER TABLE tracked_messages ADD COLUMN digest_id BIGINT REFERENCES notice_digests (id);

-- A customer who blocked the bot before their goods reached them is told once where they
-- are, when they unblock it or write again: a batch carrying an order's goods names the
-- order, and an order whose goods batch was dropped is marked.
ALTER TABLE telegram_outbox ADD COLUMN order_id BIGINT REFERENCES orders (id);
ALTER TABLE orders ADD COLUMN goods_missed_at TIMESTAMPTZ;
CREATE INDEX orders_goods_missed_idx ON orders (user_id) WHERE goods_missed_at IS NOT NULL;
