-- outbox stands for event_outbox: other sessions insert into it, so its rows and the
-- sequence of its identity column grow while a migration runs.
CREATE TABLE outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, actor text NOT NULL);
INSERT INTO outbox (actor) SELECT 'legacy' FROM generate_series(1, 20);
CREATE TABLE ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, actor text NOT NULL);
INSERT INTO ledger (actor) SELECT 'legacy' FROM generate_series(1, 20);
