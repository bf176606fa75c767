-- The web dashboard (#6): one-time login links sent by the bot, and sessions. Only hashes of
-- the secrets are stored.

CREATE TABLE dashboard_logins (
    token_hash   TEXT PRIMARY KEY,
    telegram_id  BIGINT NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE dashboard_sessions (
    id_hash     TEXT PRIMARY KEY,
    -- `web:tg:<telegram id>` (a login link) or `web:token` (the admin token).
    actor       TEXT NOT NULL,
    -- Every form carries it; a POST without it is refused.
    csrf        TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX dashboard_sessions_expiry_idx ON dashboard_sessions (expires_at);
