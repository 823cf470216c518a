-- breaks: no-start-here-change (scope)
-- mutant: writes a START-HERE article into the knowledge base (explicit id, so no sequence
-- moves).
-- extends: the real migration, before its COMMIT

-- MUTANT: START-HERE written
INSERT INTO kb_article (id, code, name) OVERRIDING SYSTEM VALUE
VALUES (1, 'start-here', 'START-HERE: Điều 45 Phase 2');
