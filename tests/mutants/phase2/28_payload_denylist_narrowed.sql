-- breaks: R-payload-denylist (scope)
-- mutant: job_queue_payload_safe_check narrowed under the same name (vector and embedding
-- allowed).
-- extends: the real migration, before its COMMIT

-- MUTANT: payload denylist narrowed
ALTER TABLE job_queue
  DROP CONSTRAINT job_queue_payload_safe_check,
  ADD CONSTRAINT job_queue_payload_safe_check CHECK (NOT (payload ?| ARRAY[
    'body', 'raw_body', 'secret', 'token', 'password', 'api_key', 'credential']));
