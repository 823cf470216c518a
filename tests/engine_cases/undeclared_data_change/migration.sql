-- Declares only the function; the row changes below are what closed world must catch.
CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
UPDATE ledger SET actor = 'sly' WHERE id = 7;
DELETE FROM ledger WHERE id = 8;
INSERT INTO other VALUES (1);
