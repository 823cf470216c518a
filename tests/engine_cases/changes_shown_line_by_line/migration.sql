-- Declares the new function only: the widened CHECK and the lost row lock are what a
-- reviewer must be able to read in the evidence, not an md5 and two long texts.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check,
    ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('a', 'b', 'c'));
CREATE OR REPLACE FUNCTION fn_claim() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1;
END
$$;
CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
