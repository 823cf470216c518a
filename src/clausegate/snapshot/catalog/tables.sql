-- Tables of every kind (ordinary, partitioned, foreign; logged or unlogged) with what
-- pg_dump writes for them beyond their columns: storage options, row security,
-- partitioning, inheritance, replica identity, foreign server, owner, privileges, comment.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname)) COLLATE "C" AS identity,
       x.extname AS extension,
       CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table'
                      ELSE 'foreign table' END AS kind,
       CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'permanent' END AS persistence,
       pg_get_userbyid(c.relowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(c.relacl, acldefault('r', c.relowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment,
       c.relrowsecurity AS row_security,
       c.relforcerowsecurity AS force_row_security,
       ARRAY(SELECT o COLLATE "C" AS item FROM unnest(c.reloptions) AS o ORDER BY item) AS options,
       am.amname AS access_method,
       ts.spcname AS tablespace,
       CASE c.relreplident WHEN 'd' THEN 'default' WHEN 'n' THEN 'nothing'
                           WHEN 'f' THEN 'full' ELSE 'index' END AS replica_identity,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       ARRAY(SELECT i.inhparent::regclass::text FROM pg_inherits AS i
             WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,
       NULLIF(c.reloftype, 0)::regtype::text AS of_type,
       fs.srvname AS server,
       ARRAY(SELECT o COLLATE "C" AS item FROM unnest(ft.ftoptions) AS o
             ORDER BY item) AS server_options
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_am AS am ON am.oid = c.relam
LEFT JOIN pg_tablespace AS ts ON ts.oid = c.reltablespace
LEFT JOIN pg_foreign_table AS ft ON ft.ftrelid = c.oid
LEFT JOIN pg_foreign_server AS fs ON fs.oid = ft.ftserver
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'f')
  AND ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (c.oid >= 16384 AND c.relpersistence <> 't')) OR x.oid IS NOT NULL)
ORDER BY identity
