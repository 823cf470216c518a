-- breaks: wrapper-added (Option A)
-- mutation: the wrapper is no longer callable by other roles; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

REVOKE EXECUTE ON FUNCTION fn_queue_heartbeat_ping_external(text, text, text, jsonb) FROM PUBLIC;
