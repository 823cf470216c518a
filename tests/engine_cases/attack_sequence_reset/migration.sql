CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A sequence never called, set without being called: pg_sequence_last_value reads NULL
-- before and after.
SELECT setval('public.ticket_seq', 100, false);
