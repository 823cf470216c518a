BEGIN;
CREATE TABLE gate_config (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO gate_config VALUES ('worker.enabled', 'false');
CREATE TABLE ledger (
  id integer PRIMARY KEY,
  actor text NOT NULL,
  amount numeric NOT NULL CONSTRAINT ledger_amount_check CHECK (amount >= 0)
);
INSERT INTO ledger SELECT g, 'legacy', g FROM generate_series(1, 20) g;
CREATE TABLE entry (id integer PRIMARY KEY, ledger_id integer NOT NULL REFERENCES ledger);
INSERT INTO entry SELECT g, g FROM generate_series(1, 20) g;
CREATE SEQUENCE ticket_seq;
CREATE FUNCTION fn_worker_enabled() RETURNS boolean LANGUAGE sql STABLE
  SET search_path TO 'pg_catalog', 'public'
  AS $$ SELECT value = 'true' FROM gate_config WHERE key = 'worker.enabled' $$;
DO $role$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'attack_app') THEN
    CREATE ROLE attack_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$role$;
COMMIT;
