CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A table no query of public's would list, where rows land unseen.
SET allow_system_table_mods = on;
CREATE TABLE pg_catalog.ledger_shadow (id integer, actor text);
INSERT INTO pg_catalog.ledger_shadow VALUES (1, 'attacker');
