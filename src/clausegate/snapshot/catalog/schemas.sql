-- Schemas outside the system ones: owner, privileges, comment.
SELECT quote_ident(n.nspname) COLLATE "C" AS identity,
       x.extname AS extension,
       pg_get_userbyid(n.nspowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(n.nspacl, acldefault('n', n.nspowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment
FROM pg_namespace AS n
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (n.oid >= 16384 AND n.nspname !~ '^pg_(toast_)?temp_[0-9]+$')) OR x.oid IS NOT NULL
ORDER BY identity
