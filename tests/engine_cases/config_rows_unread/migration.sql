-- Renames the config table's value column (declared) and, unseen by any named check,
-- arms the worker gate: config rows are compared through a query on `value`, which now
-- fails, so closed world must say it could not compare them instead of passing.
ALTER TABLE gate_config RENAME COLUMN value TO setting;
UPDATE gate_config SET setting = 'true' WHERE key = 'demo.worker.enabled';
