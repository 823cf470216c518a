-- Same number of rows, one changed in place: a row count must not declare it.
UPDATE ledger SET actor = 'phase2' WHERE id = 7;
