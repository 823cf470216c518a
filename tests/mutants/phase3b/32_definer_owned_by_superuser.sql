-- breaks: wrapper-added (Option A)
-- mutation: the SECURITY DEFINER wrapper is handed to the applying superuser; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration
-- runs as: superuser

ALTER FUNCTION fn_queue_heartbeat_ping_external(text, text, text, jsonb) OWNER TO CURRENT_USER;
