ALTER SCHEMA s OWNER TO pg_monitor;

ALTER TABLE s.t OWNER TO pg_monitor;

ALTER VIEW s.v OWNER TO pg_monitor;

ALTER MATERIALIZED VIEW s.mv OWNER TO pg_monitor;

ALTER SEQUENCE s.seq OWNER TO pg_monitor;

ALTER FUNCTION s.fn() OWNER TO pg_monitor;

ALTER PROCEDURE s.pr() OWNER TO pg_monitor;

ALTER AGGREGATE s.agg(int) OWNER TO pg_monitor;

ALTER TYPE s.color OWNER TO pg_monitor;

ALTER DOMAIN s.dom OWNER TO pg_monitor;

ALTER COLLATION s.coll OWNER TO pg_monitor;

ALTER CONVERSION s.conv OWNER TO pg_monitor;

ALTER OPERATOR s.=== (s.dom, s.dom) OWNER TO pg_monitor;

ALTER OPERATOR FAMILY s.fam USING hash OWNER TO pg_monitor;

ALTER OPERATOR CLASS s.cls USING hash OWNER TO pg_monitor;

ALTER TEXT SEARCH DICTIONARY s.dict OWNER TO pg_monitor;

ALTER TEXT SEARCH CONFIGURATION s.cfg OWNER TO pg_monitor;

ALTER STATISTICS s.st OWNER TO pg_monitor;

ALTER LANGUAGE pl_copy OWNER TO pg_monitor;

ALTER FOREIGN DATA WRAPPER fdw OWNER TO postgres;

ALTER SERVER srv OWNER TO pg_monitor;

ALTER FOREIGN TABLE s.ft OWNER TO pg_monitor;

ALTER EVENT TRIGGER evt OWNER TO postgres;

ALTER PUBLICATION pub OWNER TO pg_monitor;
