-- An error the server gives no position for (a duplicate key): its line is found by
-- running the statements again one by one, rolled back.
BEGIN;
INSERT INTO gate_config VALUES ('demo.phase', 'two');

INSERT INTO gate_config VALUES ('demo.phase', 'three');
COMMIT;
