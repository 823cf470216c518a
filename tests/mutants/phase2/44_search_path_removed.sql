-- breaks: fn-register-passive-added (§15.5)
-- mutant (sly, every count equal): the SECURITY DEFINER fn_queue_heartbeat_register_passive
-- loses its pinned search_path.
-- extends: the real migration, before its COMMIT

-- MUTANT: search_path removed
ALTER FUNCTION fn_queue_heartbeat_register_passive(text, text, timestamptz, text, text)
  RESET search_path;
