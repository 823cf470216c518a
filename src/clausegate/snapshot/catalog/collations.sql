-- Collations users create: provider, locale settings, determinism, owner, comment.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.collname)) COLLATE "C" AS identity,
       x.extname AS extension,
       CASE c.collprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin'
                           ELSE 'default' END AS provider,
       c.collcollate AS lc_collate,
       c.collctype AS lc_ctype,
       {collation_locale} AS locale,
       {collation_rules} AS rules,
       c.collisdeterministic AS deterministic,
       pg_encoding_to_char(c.collencoding) AS encoding,
       pg_get_userbyid(c.collowner) AS owner,
       d.description AS comment
FROM pg_collation AS c
JOIN pg_namespace AS n ON n.oid = c.collnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_collation'::regclass AND e.objid = c.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_collation'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR c.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
