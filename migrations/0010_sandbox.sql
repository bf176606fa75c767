-- The sandbox (`run` without TELEGRAM_BOT_TOKEN) keeps its data in a database of its own; this
-- row marks such a database. The demo catalog is seeded with it, once, and a shop with a real
-- token refuses to start on a database that has it.
CREATE TABLE sandbox (
    only_row   BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    seeded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
