-- The body of function public.fn_job_dead_letter_triage_update(uuid, text, text, text),
-- as ratified: migration 051 as reviewed and applied live (seed 001, KB-1B34, 2026-05-26).
-- Read by `clausegate pin` from 051_phase2.sql (sha256 af938af942f9a2d0…)
-- applied on PostgreSQL 16.13; compared token by token.

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
  IF NOT FOUND THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'not_found',
                              'dead_letter_id', p_dead_letter_id);
  END IF;

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
