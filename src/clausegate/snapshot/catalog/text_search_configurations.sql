-- Text search configurations: parser and the dictionaries mapped to each token type.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.cfgname)) COLLATE "C" AS identity,
       x.extname AS extension,
       c.cfgparser::regproc::text AS parser,
       ARRAY(SELECT m.maptokentype || ':' || m.mapseqno || '=' || m.mapdict::regdictionary::text
             FROM pg_ts_config_map AS m WHERE m.mapcfg = c.oid
             ORDER BY m.maptokentype, m.mapseqno) AS mappings,
       pg_get_userbyid(c.cfgowner) AS owner,
       d.description AS comment
FROM pg_ts_config AS c
JOIN pg_namespace AS n ON n.oid = c.cfgnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_ts_config'::regclass AND e.objid = c.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_ts_config'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR c.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
