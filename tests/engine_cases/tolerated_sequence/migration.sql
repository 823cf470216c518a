-- The insert is what background traffic looks like on a live database, where the
-- outbox-rows tolerance covers it. In a gate no other session writes: the row and the
-- sequence it advanced are the migration's own, and the closed world sees both.
CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
INSERT INTO outbox (actor) VALUES ('background');
