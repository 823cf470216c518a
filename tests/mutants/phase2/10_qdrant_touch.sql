-- breaks: no-qdrant-touch (scope)
-- mutant (every count equal): a vector sync point re-stamped, as a Qdrant sync would.
-- extends: the real migration, before its COMMIT

-- MUTANT: a vector sync point touched
UPDATE iu_vector_sync_point SET synced_at = now() WHERE unit_id = 1;
