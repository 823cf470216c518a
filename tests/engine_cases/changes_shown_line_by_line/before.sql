CREATE TABLE outbox (
    id integer PRIMARY KEY,
    kind text NOT NULL,
    CONSTRAINT outbox_kind_check CHECK (kind IN ('a', 'b'))
);
CREATE FUNCTION fn_claim() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM outbox WHERE kind = 'a' FOR UPDATE;
  RETURN 1;
END
$$;
