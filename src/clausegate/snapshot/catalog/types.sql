-- Types users create: enums (labels in order), domains (base type, NOT NULL, default,
-- collation; their CHECKs are in constraints.sql), ranges, composite types (their
-- attributes are in columns.sql), base and shell types. Array types and the row types of
-- tables and views come with those objects and are left out.
WITH candidate AS MATERIALIZED (
  -- The types to describe, found first: the planner cannot tell how few of a large
  -- catalog's types are left (most are row types of tables and their arrays), and joining
  -- the descriptions to every type costs a quarter of a second at 10,000 tables.
  SELECT t.oid
  FROM pg_type AS t
  LEFT JOIN pg_class AS rc ON rc.oid = t.typrelid AND t.typrelid <> 0
  WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r', 'p')
    AND (t.typrelid = 0 OR rc.relkind = 'c')
    AND NOT EXISTS (SELECT FROM pg_type AS arr WHERE arr.typarray = t.oid)
)
SELECT (quote_ident(n.nspname) || '.' || quote_ident(t.typname)) COLLATE "C" AS identity,
       x.extname AS extension,
       CASE t.typtype WHEN 'b' THEN 'base type' WHEN 'c' THEN 'composite type'
                      WHEN 'd' THEN 'domain' WHEN 'e' THEN 'enum type'
                      WHEN 'r' THEN 'range type' ELSE 'shell type' END AS kind,
       CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT v.enumlabel::text FROM pg_enum AS v
                                            WHERE v.enumtypid = t.oid
                                            ORDER BY v.enumsortorder) END AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       CASE WHEN t.typtype = 'd' THEN t.typnotnull END AS not_null,
       COALESCE(pg_get_expr(t.typdefaultbin, 0), t.typdefault) AS default,
       CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation
            THEN t.typcollation::regcollation::text
            WHEN t.typtype = 'r' AND r.rngcollation <> 0
            THEN r.rngcollation::regcollation::text END AS collation,
       CASE WHEN t.typtype = 'r' THEN concat_ws(', ',
           'subtype=' || format_type(r.rngsubtype, NULL),
           'subtype_opclass=' || quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname),
           'canonical=' || NULLIF(r.rngcanonical, 0)::regproc::text,
           'subtype_diff=' || NULLIF(r.rngsubdiff, 0)::regproc::text,
           'multirange_type_name=' || {multirange_type}) END AS range,
       CASE WHEN t.typtype = 'b' THEN concat_ws(', ',
           'input=' || t.typinput::regproc::text,
           'output=' || t.typoutput::regproc::text,
           'receive=' || NULLIF(t.typreceive, 0)::regproc::text,
           'send=' || NULLIF(t.typsend, 0)::regproc::text,
           'typmod_in=' || NULLIF(t.typmodin, 0)::regproc::text,
           'typmod_out=' || NULLIF(t.typmodout, 0)::regproc::text,
           'analyze=' || NULLIF(t.typanalyze, 0)::regproc::text,
           'subscript=' || {type_subscript},
           'internallength=' || t.typlen::text,
           'passedbyvalue=' || t.typbyval::text,
           'alignment=' || t.typalign::text,
           'storage=' || t.typstorage::text,
           'category=' || t.typcategory::text,
           'preferred=' || t.typispreferred::text,
           'delimiter=' || t.typdelim::text,
           'element=' || NULLIF(t.typelem, 0)::regtype::text,
           'collatable=' || (t.typcollation <> 0)::text) END AS definition,
       pg_get_userbyid(t.typowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(t.typacl, acldefault('T', t.typowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment
FROM candidate
JOIN pg_type AS t ON t.oid = candidate.oid
JOIN pg_namespace AS n ON n.oid = t.typnamespace
LEFT JOIN pg_type AS bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
LEFT JOIN pg_range AS r ON r.rngtypid = t.oid
LEFT JOIN pg_opclass AS opc ON opc.oid = r.rngsubopc
LEFT JOIN pg_namespace AS opn ON opn.oid = opc.opcnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR t.oid >= 16384) OR x.oid IS NOT NULL)
ORDER BY identity
