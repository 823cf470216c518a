-- Encoding conversions users create.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.conname)) COLLATE "C" AS identity,
       x.extname AS extension,
       pg_encoding_to_char(c.conforencoding) AS source_encoding,
       pg_encoding_to_char(c.contoencoding) AS target_encoding,
       c.conproc::regproc::text AS function,
       c.condefault AS "default",
       pg_get_userbyid(c.conowner) AS owner,
       d.description AS comment
FROM pg_conversion AS c
JOIN pg_namespace AS n ON n.oid = c.connamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_conversion'::regclass AND e.objid = c.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_conversion'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR c.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
