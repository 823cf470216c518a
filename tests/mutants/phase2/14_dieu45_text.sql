-- breaks: no-dieu45-text-change (scope)
-- mutant: bumps the enacted version of Điều 45.
-- extends: the real migration, before its COMMIT

-- MUTANT: Điều 45 text changed
UPDATE dot_config SET value = 'v1.1' WHERE key = 'law.dieu45.version';
