-- The insert stands for background traffic: it advances public.outbox_id_seq, which the
-- outbox-rows tolerance covers.
CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
INSERT INTO outbox (actor) VALUES ('background');
