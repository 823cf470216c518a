CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- The btree comparison of integers swapped for that of smallints: unique indexes misjudge.
UPDATE pg_amproc SET amproc = 'pg_catalog.btint2cmp'::regproc
WHERE amprocfamily = (SELECT oid FROM pg_opfamily WHERE opfname = 'integer_ops'
                        AND opfmethod = (SELECT oid FROM pg_am WHERE amname = 'btree'))
  AND amproclefttype = 'int4'::regtype AND amprocrighttype = 'int4'::regtype
  AND amprocnum = 1;
