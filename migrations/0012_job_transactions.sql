-- A job's database effect now commits with the job's own completion (JobContext::commit):
-- the claim table that made effects exactly-once one handler at a time is not needed.
DROP TABLE job_effects;
