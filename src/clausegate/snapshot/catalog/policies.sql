-- Row-level security policies (the per-table switches are in tables.sql).
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.'
        || quote_ident(p.polname)) COLLATE "C" AS identity,
       x.extname AS extension,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                     WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
       CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END AS mode,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END
                    COLLATE "C" AS item
             FROM unnest(p.polroles) AS r ORDER BY item) AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS "using",
       pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
       d.description AS comment
FROM pg_policy AS p
JOIN pg_class AS c ON c.oid = p.polrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_policy'::regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (p.oid >= 16384 AND c.relpersistence <> 't')) OR x.oid IS NOT NULL
ORDER BY identity
