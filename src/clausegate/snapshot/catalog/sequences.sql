-- Sequences as declared (the value they have reached is non-transactional state, see
-- sequence_values.sql), the column owning them, owner, privileges, comment.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname)) COLLATE "C" AS identity,
       x.extname AS extension,
       format_type(s.seqtypid, NULL) AS type,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS minimum,
       s.seqmax AS maximum,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'permanent' END AS persistence,
       (SELECT o.refobjid::regclass::text || '.' || quote_ident(a.attname)
        FROM pg_depend AS o
        JOIN pg_attribute AS a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid
        WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid
          AND o.refclassid = 'pg_class'::regclass AND o.refobjsubid > 0
          AND o.deptype IN ('a', 'i')) AS owned_by,
       pg_get_userbyid(c.relowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(c.relacl, acldefault('s', c.relowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment
FROM pg_class AS c
JOIN pg_sequence AS s ON s.seqrelid = c.oid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relkind = 'S'
  AND ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (c.oid >= 16384 AND c.relpersistence <> 't')) OR x.oid IS NOT NULL)
ORDER BY identity
