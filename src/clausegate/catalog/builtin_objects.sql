-- The server's own objects (OIDs below 16384, FirstNormalObjectId: made by initdb) whose
-- owner, privileges or definition a superuser can change: ALTER FUNCTION pg_catalog.… OWNER,
-- GRANT EXECUTE ON FUNCTION pg_read_file, CREATE OR REPLACE VIEW pg_catalog.pg_roles,
-- UPDATE pg_proc SET prosrc = …. Each object keeps a short digest of its catalog row (for a
-- relation less the statistics the server updates itself); the owner is shown when it is
-- not the bootstrap superuser, the privileges when the object has any of its own.
-- (The row's record text, not to_jsonb: seven times faster over 5,000 rows.)
WITH builtin AS (
  SELECT 'function ' || p.oid::regprocedure AS name,
         p.proowner AS owner, p.proacl AS acl, p::text AS row
  FROM pg_proc AS p WHERE p.oid < 16384
  UNION ALL
  SELECT 'relation ' || c.oid::regclass, c.relowner, c.relacl,
         ROW(c.relname, c.relnamespace, c.reltype, c.reloftype, c.relowner, c.relam,
             c.reltablespace, c.reltoastrelid, c.relisshared, c.relpersistence, c.relkind,
             c.relnatts, c.relchecks, c.relhasrules, c.relhastriggers, c.relrowsecurity,
             c.relforcerowsecurity, c.relispopulated, c.relreplident, c.relispartition,
             c.relacl, c.reloptions)::text
  FROM pg_class AS c WHERE c.oid < 16384
  UNION ALL
  SELECT 'type ' || t.oid::regtype, t.typowner, t.typacl, t::text
  FROM pg_type AS t WHERE t.oid < 16384
  UNION ALL
  SELECT 'schema ' || quote_ident(n.nspname), n.nspowner,
         n.nspacl, n::text
  FROM pg_namespace AS n WHERE n.oid < 16384
  UNION ALL
  SELECT 'language ' || quote_ident(l.lanname), l.lanowner,
         l.lanacl, l::text
  FROM pg_language AS l WHERE l.oid < 16384
  UNION ALL
  SELECT 'operator ' || o.oid::regoperator, o.oprowner,
         NULL::aclitem[], o::text
  FROM pg_operator AS o WHERE o.oid < 16384
  UNION ALL
  SELECT 'cast (' || k.castsource::regtype || ' AS ' || k.casttarget::regtype || ')',
         NULL::oid, NULL::aclitem[], k::text
  FROM pg_cast AS k WHERE k.oid < 16384
  UNION ALL
  SELECT 'access method ' || quote_ident(a.amname), NULL::oid,
         NULL::aclitem[], a::text
  FROM pg_am AS a WHERE a.oid < 16384
  UNION ALL
  SELECT 'operator class ' || quote_ident(cn.nspname) || '.' || quote_ident(c.opcname)
         || ' USING ' || quote_ident(am.amname),
         c.opcowner, NULL::aclitem[], c::text
  FROM pg_opclass AS c
  JOIN pg_namespace AS cn ON cn.oid = c.opcnamespace
  JOIN pg_am AS am ON am.oid = c.opcmethod
  WHERE c.oid < 16384
  UNION ALL
  SELECT 'operator family ' || quote_ident(fn.nspname) || '.' || quote_ident(f.opfname)
         || ' USING ' || quote_ident(am.amname),
         f.opfowner, NULL::aclitem[], f::text
  FROM pg_opfamily AS f
  JOIN pg_namespace AS fn ON fn.oid = f.opfnamespace
  JOIN pg_am AS am ON am.oid = f.opfmethod
  WHERE f.oid < 16384
  UNION ALL
  SELECT 'rule ' || quote_ident(r.rulename) || ' on ' || r.ev_class::regclass,
         NULL::oid, NULL::aclitem[], r::text
  FROM pg_rewrite AS r WHERE r.oid < 16384
  UNION ALL
  SELECT 'trigger ' || quote_ident(g.tgname) || ' on ' || g.tgrelid::regclass,
         NULL::oid, NULL::aclitem[], g::text
  FROM pg_trigger AS g WHERE g.oid < 16384
)
SELECT b.name COLLATE "C" AS identity,
       CASE WHEN b.owner <> 10 THEN pg_get_userbyid(b.owner) END AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item FROM unnest(b.acl) AS a ORDER BY item)
         AS privileges,
       left(md5(b.row), 16) AS digest
FROM builtin AS b
ORDER BY identity
