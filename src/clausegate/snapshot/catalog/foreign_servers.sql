-- Foreign servers: wrapper, type, version, options, owner, privileges.
SELECT quote_ident(s.srvname) COLLATE "C" AS identity,
       x.extname AS extension,
       quote_ident(w.fdwname) AS wrapper,
       s.srvtype AS type,
       s.srvversion AS version,
       ARRAY(SELECT o COLLATE "C" AS item FROM unnest(s.srvoptions) AS o ORDER BY item) AS options,
       pg_get_userbyid(s.srvowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(s.srvacl, acldefault('S', s.srvowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment
FROM pg_foreign_server AS s
JOIN pg_foreign_data_wrapper AS w ON w.oid = s.srvfdw
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_foreign_server'::regclass AND e.objid = s.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_foreign_server'::regclass AND d.objoid = s.oid AND d.objsubid = 0
ORDER BY identity
