-- Work PostgreSQL did per job that this project's runtime does not need (measured with
-- `cargo bench --bench queue`, see the README's Speed section).
--
-- apalis's insert trigger sent one notice per row, each with the job's id and run_at, so a
-- bulk enqueue of 5,000 jobs queued 5,000 notices for every listening process to read and
-- parse. The runtime only needs to know that a queue has new due work: one notice per
-- queue per statement says that, with the same channel and the same `job_type` field.
DROP TRIGGER IF EXISTS notify_workers ON apalis.jobs;
DROP FUNCTION IF EXISTS apalis.notify_new_jobs();

CREATE FUNCTION apalis.notify_new_jobs() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    queue TEXT;
BEGIN
    FOR queue IN SELECT DISTINCT job_type FROM new_jobs WHERE run_at <= now() LOOP
        PERFORM pg_notify('apalis::job::insert', json_build_object('job_type', queue)::text);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE TRIGGER notify_workers
AFTER INSERT ON apalis.jobs
REFERENCING NEW TABLE AS new_jobs
FOR EACH STATEMENT EXECUTE FUNCTION apalis.notify_new_jobs();

-- The key check from a claimed job to its worker ran once per claimed row (a lookup of the
-- worker's row FOR KEY SHARE inside every claim). A worker's row is always written before it
-- claims (workers::runtime::claim::register) and only deleted once no job names it
-- (maintenance), so the check guarded nothing the runtime does not already ensure.
ALTER TABLE apalis.jobs DROP CONSTRAINT IF EXISTS fk_worker_lock_by;
