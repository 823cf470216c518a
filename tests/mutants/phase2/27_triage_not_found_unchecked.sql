-- breaks: R-not-found (DLR-A)
-- mutant: fn_job_dead_letter_triage_update no longer refuses an unknown dead letter.
-- extends: the real migration, before its COMMIT

-- MUTANT: triage not_found check removed
CREATE OR REPLACE FUNCTION fn_job_dead_letter_triage_update(
  p_dead_letter_id uuid,
  p_triage_status text,
  p_actor text,
  p_triage_note text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public'
AS $fn$
DECLARE
  v_before text;
  v_row job_dead_letter%ROWTYPE;
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  -- Pinned to job_dead_letter_triage_status_check: refuse here rather than raise there.
  IF p_triage_status IS NULL OR p_triage_status NOT IN (
      'pending', 'acknowledged', 'manual_replay', 'escalated', 'closed') THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'invalid_triage_status',
                              'value', p_triage_status,
                              'allowed', ARRAY['pending', 'acknowledged', 'manual_replay',
                                               'escalated', 'closed']);
  END IF;
  SELECT triage_status INTO v_before FROM job_dead_letter WHERE id = p_dead_letter_id FOR UPDATE;

  UPDATE job_dead_letter
  SET triage_status = p_triage_status, triaged_at = now(), triaged_by = btrim(p_actor),
      triage_note = COALESCE(p_triage_note, triage_note)
  WHERE id = p_dead_letter_id
  RETURNING * INTO v_row;
  RETURN jsonb_build_object('refused', false, 'dead_letter_id', v_row.id,
                            'triage_status_before', v_before,
                            'triage_status_after', v_row.triage_status,
                            'triaged_by', v_row.triaged_by, 'triaged_at', v_row.triaged_at);
END;
$fn$;
