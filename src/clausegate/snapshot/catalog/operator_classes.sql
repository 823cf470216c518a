-- Operator classes: the family they belong to (whose members are in
-- operator_families.sql), the type they index, whether they are the default.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.opcname) || ' USING '
        || quote_ident(am.amname)) COLLATE "C" AS identity,
       x.extname AS extension,
       quote_ident(fn.nspname) || '.' || quote_ident(f.opfname) AS family,
       format_type(c.opcintype, NULL) AS type,
       c.opcdefault AS "default",
       format_type(NULLIF(c.opckeytype, 0), NULL) AS storage,
       pg_get_userbyid(c.opcowner) AS owner,
       d.description AS comment
FROM pg_opclass AS c
JOIN pg_namespace AS n ON n.oid = c.opcnamespace
JOIN pg_am AS am ON am.oid = c.opcmethod
JOIN pg_opfamily AS f ON f.oid = c.opcfamily
JOIN pg_namespace AS fn ON fn.oid = f.opfnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_opclass'::regclass AND e.objid = c.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_opclass'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR c.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
