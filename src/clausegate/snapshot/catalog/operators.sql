-- Operators keyed by name and operand types, with the function behind them and the
-- optimizer hints pg_dump writes.
SELECT (quote_ident(n.nspname) || '.' || o.oprname || '('
        || COALESCE(format_type(NULLIF(o.oprleft, 0), NULL), 'NONE') || ', '
        || COALESCE(format_type(NULLIF(o.oprright, 0), NULL), 'NONE') || ')') COLLATE "C"
           AS identity,
       x.extname AS extension,
       o.oprcode::regprocedure::text AS function,
       format_type(o.oprresult, NULL) AS result,
       NULLIF(o.oprcom, 0)::regoperator::text AS commutator,
       NULLIF(o.oprnegate, 0)::regoperator::text AS negator,
       NULLIF(o.oprrest, 0)::regproc::text AS restrict,
       NULLIF(o.oprjoin, 0)::regproc::text AS "join",
       o.oprcanhash AS hashes,
       o.oprcanmerge AS merges,
       pg_get_userbyid(o.oprowner) AS owner,
       d.description AS comment
FROM pg_operator AS o
JOIN pg_namespace AS n ON n.oid = o.oprnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_operator'::regclass AND e.objid = o.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_operator'::regclass AND d.objoid = o.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR o.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
