BEGIN;
CREATE TABLE account (id integer PRIMARY KEY, name text NOT NULL, api_token text NOT NULL,
                      settings jsonb NOT NULL DEFAULT '{}');
INSERT INTO account VALUES (1, 'alice', 'tok-alice-0001', '{"theme": "dark", "password": "hunter2"}'),
                           (2, 'bob', 'tok-bob-0002', '{}');
COMMIT;
