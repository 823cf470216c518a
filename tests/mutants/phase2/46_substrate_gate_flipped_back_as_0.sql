-- breaks: no-substrate-durable-flip (WK-A)
-- mutant (sly, every count equal): queue.job_substrate.enabled flipped to true, then 'back'
-- to the text '0'.
-- extends: the real migration, before its COMMIT

-- MUTANT: substrate gate flipped and flipped back as '0'
UPDATE dot_config SET value = 'true' WHERE key = 'queue.job_substrate.enabled';
UPDATE dot_config SET value = '0' WHERE key = 'queue.job_substrate.enabled';
