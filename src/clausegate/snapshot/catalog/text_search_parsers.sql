-- Text search parsers and the functions that implement them.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(p.prsname)) COLLATE "C" AS identity,
       x.extname AS extension,
       concat_ws(', ', 'start=' || p.prsstart::regproc::text,
                 'gettoken=' || p.prstoken::regproc::text,
                 'end=' || p.prsend::regproc::text,
                 'headline=' || NULLIF(p.prsheadline, 0)::regproc::text,
                 'lextypes=' || p.prslextype::regproc::text) AS functions,
       d.description AS comment
FROM pg_ts_parser AS p
JOIN pg_namespace AS n ON n.oid = p.prsnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_ts_parser'::regclass AND e.objid = p.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_ts_parser'::regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR p.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
