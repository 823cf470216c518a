-- Views and materialized views: pg_get_viewdef, options (check_option, security_barrier,
-- security_invoker), owner, privileges, comment; for a materialized view also whether it
-- holds data, its access method and tablespace.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname)) COLLATE "C" AS identity,
       x.extname AS extension,
       CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END AS kind,
       regexp_replace(pg_get_viewdef(c.oid), ';\s*$', '') AS definition,
       ARRAY(SELECT o COLLATE "C" AS item FROM unnest(c.reloptions) AS o ORDER BY item) AS options,
       pg_get_userbyid(c.relowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(c.relacl, acldefault('r', c.relowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment,
       CASE WHEN c.relkind = 'm' THEN c.relispopulated END AS populated,
       am.amname AS access_method,
       ts.spcname AS tablespace
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_am AS am ON am.oid = c.relam
LEFT JOIN pg_tablespace AS ts ON ts.oid = c.reltablespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relkind IN ('v', 'm')
  AND ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (c.oid >= 16384 AND c.relpersistence <> 't')) OR x.oid IS NOT NULL)
ORDER BY identity
