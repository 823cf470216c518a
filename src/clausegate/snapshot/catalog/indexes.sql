-- Indexes with pg_get_indexdef and the flags pg_dump writes as separate statements
-- (CLUSTER ON, REPLICA IDENTITY USING INDEX, per-column statistics targets).
-- `valid` is false for an index a failed CREATE INDEX CONCURRENTLY left behind; `ready` and
-- `live` are shown only when false (see catalog_flags.sql), and so is `immediate`: a unique
-- index checked only at the end of the transaction (pg_get_indexdef does not say so). The indexes of TOAST tables
-- are the server's own.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(ic.relname)) COLLATE "C" AS identity,
       x.extname AS extension,
       i.indrelid::regclass::text AS "table",
       pg_get_indexdef(i.indexrelid) AS definition,
       i.indisclustered AS clustered,
       i.indisvalid AS valid,
       NULLIF(i.indisready, true) AS ready,
       NULLIF(i.indislive, true) AS live,
       NULLIF(i.indimmediate, true) AS immediate,
       i.indisreplident AS replica_identity,
       ts.spcname AS tablespace,
       ARRAY(SELECT a.attnum || '=' || a.attstattarget FROM pg_attribute AS a
             WHERE a.attrelid = i.indexrelid AND COALESCE(a.attstattarget::int, -1) <> -1
             ORDER BY a.attnum) AS statistics,
       d.description AS comment
FROM pg_index AS i
JOIN pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_namespace AS n ON n.oid = ic.relnamespace
JOIN pg_class AS tc ON tc.oid = i.indrelid AND tc.relkind <> 't'
LEFT JOIN pg_tablespace AS ts ON ts.oid = ic.reltablespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = i.indrelid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (ic.oid >= 16384 AND ic.relpersistence <> 't')) OR x.oid IS NOT NULL
ORDER BY identity
