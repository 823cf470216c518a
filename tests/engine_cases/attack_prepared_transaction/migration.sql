BEGIN;
CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
COMMIT;
-- A write prepared to be committed after the gate (or the verify) has looked.
BEGIN;
UPDATE gate_config SET value = 'true' WHERE key = 'worker.enabled';
PREPARE TRANSACTION 'attack_later';
