-- Text search templates and the functions that implement them.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(t.tmplname)) COLLATE "C" AS identity,
       x.extname AS extension,
       concat_ws(', ', 'init=' || NULLIF(t.tmplinit, 0)::regproc::text,
                 'lexize=' || t.tmpllexize::regproc::text) AS functions,
       d.description AS comment
FROM pg_ts_template AS t
JOIN pg_namespace AS n ON n.oid = t.tmplnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_ts_template'::regclass AND e.objid = t.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_ts_template'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR t.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
