-- breaks: no-production-documents (scope)
-- mutant: creates production_documents.
-- extends: the real migration, before its COMMIT

-- MUTANT: production_documents created
CREATE TABLE production_documents (id bigint PRIMARY KEY, title text NOT NULL);
