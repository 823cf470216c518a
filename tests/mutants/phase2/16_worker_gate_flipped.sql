-- breaks: no-worker-gate-flip (WK-A)
-- mutant: flips queue.worker.enabled to true.
-- extends: the real migration, before its COMMIT

-- MUTANT: queue.worker.enabled flipped
UPDATE dot_config SET value = 'true' WHERE key = 'queue.worker.enabled';
