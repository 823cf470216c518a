BEGIN;
INSERT INTO gate_config VALUES ('demo.phase', 'two');
COMMIT;
