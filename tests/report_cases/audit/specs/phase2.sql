-- Phase 2 does what it should, plus three things it should not: it flips the worker gate,
-- creates an undeclared table, and (tolerated) the outbox gets background rows.
BEGIN;
CREATE FUNCTION fn_demo_guard(p_actor text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  RETURN jsonb_build_object('refused', false, 'actor', p_actor);
END $$;
INSERT INTO gate_config VALUES ('demo.phase', 'two');
INSERT INTO outbox SELECT g, 'background ' || g FROM generate_series(2501, 3519) g;
UPDATE gate_config SET value = 'true' WHERE key = 'demo.worker.enabled';
CREATE TABLE stray (id int);
COMMIT;
