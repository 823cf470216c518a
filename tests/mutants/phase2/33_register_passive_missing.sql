-- breaks: fn-register-passive-added (§15.5)
-- mutant: fn_queue_heartbeat_register_passive dropped once the marker is registered.
-- extends: the real migration, before its COMMIT

-- MUTANT: register_passive not shipped
DROP FUNCTION fn_queue_heartbeat_register_passive(text, text, timestamptz, text, text);
