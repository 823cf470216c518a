-- Foreign-data wrappers: handler, validator, options, owner, privileges.
SELECT quote_ident(w.fdwname) COLLATE "C" AS identity,
       x.extname AS extension,
       NULLIF(w.fdwhandler, 0)::regproc::text AS handler,
       NULLIF(w.fdwvalidator, 0)::regproc::text AS validator,
       ARRAY(SELECT o COLLATE "C" AS item FROM unnest(w.fdwoptions) AS o ORDER BY item) AS options,
       pg_get_userbyid(w.fdwowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(w.fdwacl, acldefault('F', w.fdwowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment
FROM pg_foreign_data_wrapper AS w
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_foreign_data_wrapper'::regclass AND e.objid = w.oid
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_foreign_data_wrapper'::regclass AND d.objoid = w.oid
      AND d.objsubid = 0
ORDER BY identity
