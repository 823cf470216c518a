BEGIN;
INSERT INTO gate_config VALUES ('demo.phase', 'two');
CREATE FUNCTION fn_demo_guard(p_actor text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  RETURN jsonb_build_object('refused', false, 'actor', p_actor);
END $$;
-- One ledger row rewritten in place, every count kept: only a row-by-row read names it.
UPDATE ledger SET actor = 'phase2' WHERE id = 7;
COMMIT;
