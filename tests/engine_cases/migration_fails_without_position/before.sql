BEGIN;
CREATE TABLE gate_config (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO gate_config VALUES ('demo.enabled', 'false'), ('demo.worker.enabled', 'false');
CREATE TABLE ledger (
  id integer PRIMARY KEY,
  kind text NOT NULL CONSTRAINT ledger_kind_check CHECK (kind IN ('a', 'b')),
  actor text NOT NULL
);
INSERT INTO ledger SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, 'legacy' FROM generate_series(1, 50) g;
COMMIT;
