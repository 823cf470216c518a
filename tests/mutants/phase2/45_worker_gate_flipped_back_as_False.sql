-- breaks: no-worker-gate-flip (WK-A)
-- mutant (sly, every count equal): queue.worker.enabled flipped to true, then 'back' to the
-- text 'False'.
-- extends: the real migration, before its COMMIT

-- MUTANT: worker gate flipped and flipped back as 'False'
UPDATE dot_config SET value = 'true' WHERE key = 'queue.worker.enabled';
UPDATE dot_config SET value = 'False' WHERE key = 'queue.worker.enabled';
