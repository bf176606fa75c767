-- What this project adds to apalis-postgres's queue (schema `apalis`, created by its own
-- migrations, which always run first).

-- A job whose database effect is not naturally idempotent claims its id here in the same
-- transaction as the effect: a job that runs again after a crash finds its claim and skips
-- the effect. Pruned together with finished jobs.
CREATE TABLE job_effects (
    job_id      TEXT PRIMARY KEY,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX job_effects_applied_idx ON job_effects (applied_at);

-- Executions of `diagnostic.probe` jobs: the pipeline check (`jobs probe`), the benchmark
-- and the queue tests read them to see what ran, where, and how many times.
CREATE TABLE probe_runs (
    id            BIGSERIAL PRIMARY KEY,
    job_id        TEXT NOT NULL,
    label         TEXT NOT NULL,
    attempt       INTEGER NOT NULL,
    worker        TEXT NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    completed_at  TIMESTAMPTZ
);
CREATE INDEX probe_runs_job_idx ON probe_runs (job_id);
CREATE INDEX probe_runs_label_idx ON probe_runs (label);

-- Retention deletes finished jobs by age; the jobs list orders by recency.
CREATE INDEX jobs_finished_idx ON apalis.jobs (done_at) WHERE status IN ('Done', 'Failed', 'Killed');
CREATE INDEX jobs_status_idx ON apalis.jobs (job_type, status);

-- The one definition of a job's state as the admin tools name it, from apalis's columns:
-- pending (ready to run), scheduled (waits for run_at), running (claimed by a worker),
-- retrying (failed, will run again after its backoff), failed (out of attempts or failed for
-- good: kept until an admin retries or discards it), done.
CREATE FUNCTION job_state(status TEXT, run_at TIMESTAMPTZ, attempts INTEGER, max_attempts INTEGER)
RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN status = 'Pending' AND run_at > now() THEN 'scheduled'
        WHEN status = 'Pending' THEN 'pending'
        WHEN status IN ('Queued', 'Running') THEN 'running'
        WHEN status = 'Done' THEN 'done'
        WHEN status = 'Failed' AND attempts < max_attempts THEN 'retrying'
        ELSE 'failed'
    END
$$;
