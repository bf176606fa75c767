-- Products v2 (#17): a product is what the catalog lists (name, description, category,
-- terms); what is sold is one of its variants ("1 bulan", "86 diamonds"), each with its own
-- code, price, contents, low-stock threshold and status. Quantity tiers lower a variant's
-- unit price from a quantity on; price groups (reseller, member…) give their members a price
-- per variant or a percentage off.
--
-- Every existing product becomes a product with one variant carrying its code, name, price,
-- threshold and status; the variant takes the product's id, so its contents, cart lines and
-- order lines move over by id and nothing is lost.

-- Variants draw their ids from the products' sequence: a product id and a variant id never
-- name different things, so a button from before variants (`qty:<product id>`) reaches the
-- product's own variant, and no id of one kind is ever mistaken for another's.
CREATE TABLE product_variants (
    id                    BIGINT PRIMARY KEY DEFAULT nextval('products_id_seq'),
    product_id            BIGINT NOT NULL REFERENCES products (id),
    code                  TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    price                 BIGINT NOT NULL CHECK (price > 0),
    low_stock_threshold   INTEGER CHECK (low_stock_threshold >= 0),
    low_stock_alerted_at  TIMESTAMPTZ,
    status                TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    sort_order            INTEGER NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX product_variants_product_idx ON product_variants (product_id, sort_order, id);

INSERT INTO product_variants (id, product_id, code, name, price, low_stock_threshold,
                              low_stock_alerted_at, status, created_at, updated_at)
SELECT id, id, code, left(name, 64), price, low_stock_threshold, low_stock_alerted_at, status,
       created_at, updated_at
FROM products;

-- What the variants now hold leaves the product.
ALTER TABLE products DROP COLUMN price;
ALTER TABLE products DROP COLUMN low_stock_threshold;
ALTER TABLE products DROP COLUMN low_stock_alerted_at;

-- Contents belong to a variant.
ALTER TABLE product_contents ADD COLUMN variant_id BIGINT REFERENCES product_variants (id);
UPDATE product_contents SET variant_id = product_id;
ALTER TABLE product_contents ALTER COLUMN variant_id SET NOT NULL;
ALTER TABLE product_contents DROP COLUMN product_id;
ALTER TABLE product_contents ADD CONSTRAINT product_contents_variant_content_key UNIQUE (variant_id, content);
CREATE INDEX product_contents_variant_available_idx ON product_contents (variant_id, id) WHERE state = 'available';

-- A cart holds variants, and keeps the price group it was started under: a customer moved
-- to another group gets its prices from their next cart on.
ALTER TABLE cart_items ADD COLUMN variant_id BIGINT REFERENCES product_variants (id);
UPDATE cart_items SET variant_id = product_id;
ALTER TABLE cart_items ALTER COLUMN variant_id SET NOT NULL;
ALTER TABLE cart_items DROP CONSTRAINT cart_items_pkey;
ALTER TABLE cart_items DROP COLUMN product_id;
ALTER TABLE cart_items ADD PRIMARY KEY (user_id, variant_id);

-- An order line names its product (terms, stats) and its variant, with the variant's name
-- and the unit price charged (after tiers and group prices) as they were at checkout.
ALTER TABLE order_items ADD COLUMN variant_id BIGINT REFERENCES product_variants (id);
ALTER TABLE order_items ADD COLUMN variant_name TEXT;
UPDATE order_items SET variant_id = product_id, variant_name = left(product_name, 64);
ALTER TABLE order_items ALTER COLUMN variant_id SET NOT NULL;
ALTER TABLE order_items ALTER COLUMN variant_name SET NOT NULL;
ALTER TABLE order_items DROP CONSTRAINT order_items_order_id_product_id_key;
ALTER TABLE order_items ADD CONSTRAINT order_items_order_variant_key UNIQUE (order_id, variant_id);
-- Which price rule set unit_price: the list price, a quantity tier or the customer's group.
ALTER TABLE order_items ADD COLUMN price_rule TEXT NOT NULL DEFAULT 'list'
    CHECK (price_rule IN ('list', 'tier', 'group'));
CREATE INDEX order_items_variant_idx ON order_items (variant_id);

-- "From 10: Rp 8.500 each".
CREATE TABLE variant_tiers (
    variant_id    BIGINT NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    min_quantity  INTEGER NOT NULL CHECK (min_quantity BETWEEN 2 AND 1000),
    unit_price    BIGINT NOT NULL CHECK (unit_price > 0),
    PRIMARY KEY (variant_id, min_quantity)
);

-- A group's members pay its price for a variant where it sets one, else the list price less
-- its percentage (when it has one).
CREATE TABLE price_groups (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 32),
    percent_off  INTEGER CHECK (percent_off BETWEEN 1 AND 90),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE price_group_prices (
    group_id    BIGINT NOT NULL REFERENCES price_groups (id) ON DELETE CASCADE,
    variant_id  BIGINT NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    price       BIGINT NOT NULL CHECK (price > 0),
    PRIMARY KEY (group_id, variant_id)
);

ALTER TABLE users ADD COLUMN price_group_id BIGINT REFERENCES price_groups (id) ON DELETE SET NULL;
CREATE INDEX users_price_group_idx ON users (price_group_id) WHERE price_group_id IS NOT NULL;
ALTER TABLE carts ADD COLUMN price_group_id BIGINT REFERENCES price_groups (id) ON DELETE SET NULL;

-- The price group a customer shops under: their cart's while it holds anything (the group it
-- was started under), else their own.
CREATE FUNCTION customer_price_group(customer BIGINT) RETURNS BIGINT
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM cart_items WHERE user_id = customer)
                THEN (SELECT price_group_id FROM carts WHERE user_id = customer)
                ELSE (SELECT price_group_id FROM users WHERE id = customer) END
$$;
