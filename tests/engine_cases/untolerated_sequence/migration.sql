-- The sequence of ledger, whose row count is not tolerant, advances with no row added:
-- the closed world must see that.
CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
SELECT nextval('public.ledger_id_seq');
