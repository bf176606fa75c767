-- Payments: what the invoice, confirmation and delivery jobs need beyond the first schema.

-- The order an invoice photo or an admin alert belongs to is found through tracked_messages;
-- the outbox writes those rows when the message goes out (see telegram::send).

-- How a webhook's event was judged, and what the shop did about it.
ALTER TABLE payment_events ADD COLUMN handled_at TIMESTAMPTZ;

-- An order paid after it expired or was cancelled: what happened to the money.
ALTER TABLE orders ADD COLUMN late_outcome TEXT CHECK (late_outcome IN ('resold', 'credited'));

-- Customers' notices that must go out once per order (expired, cancelled, late payment).
CREATE INDEX invoices_order_idx ON invoices (order_id);
