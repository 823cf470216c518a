-- Tablespaces of the cluster: where they lie, owner, privileges, options.
SELECT quote_ident(t.spcname) COLLATE "C" AS identity,
       NULLIF(pg_tablespace_location(t.oid), '') AS location,
       pg_get_userbyid(t.spcowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(t.spcacl, acldefault('t', t.spcowner))) AS a
             ORDER BY item) AS privileges,
       ARRAY(SELECT o COLLATE "C" AS item FROM unnest(t.spcoptions) AS o ORDER BY item)
         AS options
FROM pg_tablespace AS t
ORDER BY identity
