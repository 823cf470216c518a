-- breaks: no-customer-email-mot-runtime (WK-A)
-- mutant: switches the MOT runtime on.
-- extends: the real migration, before its COMMIT

-- MUTANT: MOT runtime switched on
UPDATE dot_config SET value = 'true' WHERE key = 'mot.runtime.enabled';
