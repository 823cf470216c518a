-- Every installed extension, plpgsql included, with its version, schema and the
-- configuration tables whose rows pg_dump dumps. Their member objects are captured by the
-- other queries and kept apart from the user catalog.
SELECT x.extname COLLATE "C" AS identity,
       x.extversion AS version,
       x.extnamespace::regnamespace::text AS schema,
       x.extrelocatable AS relocatable,
       pg_get_userbyid(x.extowner) AS owner,
       ARRAY(SELECT c::regclass::text COLLATE "C" AS item FROM unnest(x.extconfig) AS c
             ORDER BY item) AS configuration_tables,
       d.description AS comment
FROM pg_extension AS x
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_extension'::regclass AND d.objoid = x.oid AND d.objsubid = 0
ORDER BY identity
