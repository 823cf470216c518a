BEGIN;
INSERT INTO gate_config VALUES ('demo.phase', 'two');
CREATE FUNCTION fn_demo_guard(p_actor text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  RETURN jsonb_build_object('refused', false, 'actor', p_actor);
END $$;
UPDATE ledger SET actor = 'phase2' WHERE id = 7;
UPDATE gate_config SET value = 'true' WHERE key = 'demo.worker.enabled';
ALTER TABLE ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_kind_check CHECK (kind IN ('a', 'b', 'z'));
CREATE TABLE stray (id int);
COMMIT;
