-- A broadcast takes its next recipient as the pending one with the lowest user id. The
-- pending index held only the broadcast, so every message read and sorted all the pending
-- rows: fine for a thousand customers, quadratic for a hundred thousand (the broadcast bench
-- fell from about 300 to about 100 messages a second as it went). With the user id in the
-- index the next recipient is its first entry.
DROP INDEX broadcast_recipients_pending_idx;
CREATE INDEX broadcast_recipients_pending_idx ON broadcast_recipients (broadcast_id, user_id)
    WHERE status = 'pending';
