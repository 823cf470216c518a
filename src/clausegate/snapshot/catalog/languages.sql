-- Procedural languages (plpgsql arrives as an extension, so it is an extension member).
SELECT quote_ident(l.lanname) COLLATE "C" AS identity,
       x.extname AS extension,
       l.lanpltrusted AS trusted,
       l.lanplcallfoid::regprocedure::text AS handler,
       NULLIF(l.laninline, 0)::regprocedure::text AS inline,
       NULLIF(l.lanvalidator, 0)::regprocedure::text AS validator,
       pg_get_userbyid(l.lanowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(l.lanacl, acldefault('l', l.lanowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment
FROM pg_language AS l
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_language'::regclass AND e.objid = l.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_language'::regclass AND d.objoid = l.oid AND d.objsubid = 0
WHERE l.lanispl
ORDER BY identity
