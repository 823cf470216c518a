-- Columns of tables, views, materialized views and composite types. Collation and
-- storage are recorded only where they differ from the type's own, as pg_dump writes them.
-- A generated or identity column has its expression in `generated`, not in `default`.
-- A default cannot name a column, so it is deparsed without its table (pg_get_expr with a
-- table builds a context for it: a third of this query's time at 10,000 tables), unless
-- its stored tree does name one (a Var node, with its :varattno; pg_attrdef written by
-- hand).
-- Arrays are sorted only where present: a subquery for each of many columns is costly.
-- A column's position is its place among the live columns (what SELECT * and a dump
-- show), not its attnum: a column dropped once leaves a gap in attnum that is no column.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.'
        || quote_ident(a.attname)) COLLATE "C" AS identity,
       x.extname AS extension,
       row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS position,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated <> '' THEN NULL
            WHEN strpos(ad.adbin::text, ':varattno ') = 0 THEN pg_get_expr(ad.adbin, 0)
            ELSE pg_get_expr(ad.adbin, ad.adrelid) END AS default,
       CASE WHEN a.attidentity = 'a' THEN 'always as identity'
            WHEN a.attidentity = 'd' THEN 'by default as identity'
            WHEN a.attgenerated <> '' THEN 'always as (' || pg_get_expr(ad.adbin, ad.adrelid) || ')'
                 || CASE a.attgenerated WHEN 's' THEN ' stored' ELSE ' virtual' END
       END AS generated,
       CASE WHEN a.attcollation <> t.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
       CASE WHEN a.attstorage <> t.typstorage
            THEN CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'
                                   WHEN 'm' THEN 'main' ELSE 'extended' END END AS storage,
       {attcompression} AS compression,
       NULLIF(COALESCE(a.attstattarget::int, -1), -1) AS statistics,
       CASE WHEN a.attoptions IS NOT NULL
            THEN ARRAY(SELECT o COLLATE "C" AS item FROM unnest(a.attoptions) AS o ORDER BY item)
            ELSE ARRAY[]::text[] END AS options,
       CASE WHEN a.attfdwoptions IS NOT NULL
            THEN ARRAY(SELECT o COLLATE "C" AS item FROM unnest(a.attfdwoptions) AS o ORDER BY item)
            ELSE ARRAY[]::text[] END AS server_options,
       a.attislocal AS local,
       a.attinhcount > 0 AS inherited,
       CASE WHEN a.attacl IS NOT NULL
            THEN ARRAY(SELECT p::text COLLATE "C" AS item FROM unnest(a.attacl) AS p ORDER BY item)
            ELSE ARRAY[]::text[] END AS privileges,
       d.description AS comment
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_type AS t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
LEFT JOIN pg_namespace AS cn ON cn.oid = co.collnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
  AND a.attnum > 0 AND NOT a.attisdropped
  AND ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (c.oid >= 16384 AND c.relpersistence <> 't')) OR x.oid IS NOT NULL)
ORDER BY identity
