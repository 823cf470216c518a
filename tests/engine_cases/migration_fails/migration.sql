BEGIN;
INSERT INTO gate_config VALUES ('demo.phase', 'two');
SELECT no_such_column FROM gate_config;
COMMIT;
