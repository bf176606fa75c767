-- Indexes of apalis.jobs for a queue that keeps finished jobs for a while (retention).
--
-- apalis's acknowledgement query joins a JSON batch of job ids to apalis.jobs with
-- `WHERE lock_by = <worker>`. With an index on lock_by the planner reads every job that worker
-- ever ran (finished jobs keep lock_by until retention deletes them), so each acknowledgement
-- grows with the worker's history: 2 ms after 3,000 jobs in the updates benchmark, and the
-- most expensive statement of the whole pipeline. Without it the join goes through the
-- primary key. Only unfinished jobs are looked up by worker (rescuing a dead worker's jobs),
-- which a partial index serves.
DROP INDEX IF EXISTS apalis.idx_apalis_jobs_lock_by;
DROP INDEX IF EXISTS apalis.lidx;
CREATE INDEX jobs_unfinished_lock_by_idx ON apalis.jobs (lock_by) WHERE status IN ('Queued', 'Running');

-- The same as jobs_pkey: one less index to write on every status change.
DROP INDEX IF EXISTS apalis.unique_job_id;

-- A queue table churns: every job is inserted, updated two or three times and deleted by
-- retention. Analyze and vacuum it after a few percent of change, not PostgreSQL's default
-- 10 % / 20 %, so plans follow its size and dead rows do not pile up.
ALTER TABLE apalis.jobs SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05);
