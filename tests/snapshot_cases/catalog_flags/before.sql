CREATE TABLE account (id bigint PRIMARY KEY, code text UNIQUE,
                      amount numeric CHECK (amount >= 0), kind text CHECK (kind IN ('a', 'b')));
CREATE TABLE entry (id bigint PRIMARY KEY, account_id bigint REFERENCES account);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER audit BEFORE INSERT ON entry FOR EACH ROW EXECUTE FUNCTION touch();
