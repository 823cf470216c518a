ALTER SERVER remote OPTIONS (SET dbname 'b', ADD port '5433');

ALTER SERVER remote OWNER TO pg_monitor;

CREATE USER MAPPING FOR PUBLIC SERVER remote OPTIONS (user 'reader', password 'not-in-the-snapshot');

CREATE FOREIGN DATA WRAPPER dummy;

GRANT USAGE ON FOREIGN DATA WRAPPER dummy TO pg_monitor;
