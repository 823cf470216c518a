-- Access methods users create (built-in ones have OIDs below 16384).
SELECT quote_ident(a.amname) COLLATE "C" AS identity,
       x.extname AS extension,
       CASE a.amtype WHEN 't' THEN 'table' ELSE 'index' END AS type,
       a.amhandler::regproc::text AS handler,
       d.description AS comment
FROM pg_am AS a
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_am'::regclass AND e.objid = a.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_am'::regclass AND d.objoid = a.oid AND d.objsubid = 0
WHERE a.oid >= 16384
ORDER BY identity
