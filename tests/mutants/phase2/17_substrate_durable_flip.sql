-- breaks: no-substrate-durable-flip (WK-A)
-- mutant: flips queue.job_substrate.enabled to true durably.
-- extends: the real migration, before its COMMIT

-- MUTANT: queue.job_substrate.enabled flipped
UPDATE dot_config SET value = 'true' WHERE key = 'queue.job_substrate.enabled';
