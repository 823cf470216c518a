-- Extended statistics objects (CREATE STATISTICS) and their statistics target.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(s.stxname)) COLLATE "C" AS identity,
       x.extname AS extension,
       s.stxrelid::regclass::text AS "table",
       pg_get_statisticsobjdef(s.oid) AS definition,
       NULLIF(COALESCE(s.stxstattarget::int, -1), -1) AS target,
       pg_get_userbyid(s.stxowner) AS owner,
       d.description AS comment
FROM pg_statistic_ext AS s
JOIN pg_namespace AS n ON n.oid = s.stxnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = s.stxrelid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_statistic_ext'::regclass AND d.objoid = s.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR s.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
