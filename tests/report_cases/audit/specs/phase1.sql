BEGIN;
CREATE FUNCTION fn_demo_guard(p_actor text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  RETURN jsonb_build_object('refused', false, 'actor', p_actor);
END $$;
COMMIT;
