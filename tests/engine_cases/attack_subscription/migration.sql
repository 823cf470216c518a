CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A subscription that would stream another server's changes into this database once
-- enabled. The gate sees it, and drops it when it ends so that the database can go.
CREATE SUBSCRIPTION attack_sub CONNECTION 'dbname=elsewhere' PUBLICATION everything
  WITH (connect = false, enabled = false, slot_name = NONE);
