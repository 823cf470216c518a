-- dblink stands for any way a probe can write through a second connection, which the
-- probe's own ROLLBACK does not undo.
CREATE EXTENSION dblink;
CREATE TABLE ledger (id integer PRIMARY KEY, actor text NOT NULL);
INSERT INTO ledger SELECT g, 'legacy' FROM generate_series(1, 20) g;
