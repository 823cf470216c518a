-- Casts users create (built-in casts have OIDs below FirstNormalObjectId, 16384), less
-- those that are an internal part of a type (range to multirange), as pg_dump does.
SELECT ('(' || format_type(c.castsource, NULL) || ' AS '
        || format_type(c.casttarget, NULL) || ')') COLLATE "C" AS identity,
       x.extname AS extension,
       NULLIF(c.castfunc, 0)::regprocedure::text AS function,
       CASE c.castcontext WHEN 'e' THEN 'explicit' WHEN 'a' THEN 'assignment'
                          ELSE 'implicit' END AS context,
       CASE c.castmethod WHEN 'f' THEN 'function' WHEN 'i' THEN 'inout'
                         ELSE 'binary' END AS method,
       d.description AS comment
FROM pg_cast AS c
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_cast'::regclass AND e.objid = c.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_cast'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.oid >= 16384
  AND NOT EXISTS (SELECT FROM pg_depend AS i
                  WHERE i.classid = 'pg_cast'::regclass AND i.objid = c.oid AND i.deptype = 'i')
ORDER BY identity
