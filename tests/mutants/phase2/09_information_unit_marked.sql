-- breaks: no-information-unit-touch (scope)
-- mutant (every count equal): an information unit MARKed in place.
-- extends: the real migration, before its COMMIT

-- MUTANT: an information unit marked
UPDATE information_unit
SET mark_state = 'marked', marked_by = 'dot:dieu45_phase2_mig_051', marked_at = now()
WHERE id = 1;
