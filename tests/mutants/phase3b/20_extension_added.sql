-- breaks: no-extension (Option B)
-- mutation: an extension is installed; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration
-- runs as: superuser

CREATE EXTENSION IF NOT EXISTS dblink;
