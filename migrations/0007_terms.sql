-- Proof that a customer met a product's terms (SNK) after delivery: text, a photo, or both.
-- One per order and product; a resubmission replaces it (and counts).
CREATE TABLE terms_submissions (
    id             BIGSERIAL PRIMARY KEY,
    order_id       BIGINT NOT NULL REFERENCES orders (id),
    product_id     BIGINT NOT NULL REFERENCES products (id),
    user_id        BIGINT NOT NULL REFERENCES users (id),
    text           TEXT CHECK (length(text) <= 4000),
    photo_file_id  TEXT,
    replacements   INTEGER NOT NULL DEFAULT 0,
    submitted_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (order_id, product_id),
    CHECK (text IS NOT NULL OR photo_file_id IS NOT NULL)
);
