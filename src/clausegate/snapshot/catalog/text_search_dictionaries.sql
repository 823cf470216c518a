-- Text search dictionaries: template and options.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(t.dictname)) COLLATE "C" AS identity,
       x.extname AS extension,
       quote_ident(tn.nspname) || '.' || quote_ident(tt.tmplname) AS template,
       t.dictinitoption AS options,
       pg_get_userbyid(t.dictowner) AS owner,
       d.description AS comment
FROM pg_ts_dict AS t
JOIN pg_namespace AS n ON n.oid = t.dictnamespace
JOIN pg_ts_template AS tt ON tt.oid = t.dicttemplate
JOIN pg_namespace AS tn ON tn.oid = tt.tmplnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_ts_dict'::regclass AND e.objid = t.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_ts_dict'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR t.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
