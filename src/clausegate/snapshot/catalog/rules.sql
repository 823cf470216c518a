-- Rewrite rules other than the _RETURN rule that makes a view (views.sql has those).
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.'
        || quote_ident(r.rulename)) COLLATE "C" AS identity,
       x.extname AS extension,
       regexp_replace(pg_get_ruledef(r.oid), ';\s*$', '') AS definition,
       CASE r.ev_enabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                         WHEN 'R' THEN 'enabled replica' ELSE 'enabled always' END AS enabled,
       d.description AS comment
FROM pg_rewrite AS r
JOIN pg_class AS c ON c.oid = r.ev_class
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_rewrite'::regclass AND d.objoid = r.oid AND d.objsubid = 0
WHERE r.rulename <> '_RETURN'
  AND ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (r.oid >= 16384 AND c.relpersistence <> 't')) OR x.oid IS NOT NULL)
ORDER BY identity
