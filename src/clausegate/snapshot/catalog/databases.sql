-- The other databases of the cluster (this one is database.sql's): owner, privileges, the
-- attributes the server acts on, comment. A migration can hand the postgres database to
-- its own role, or open template1, from which every later database is copied.
SELECT quote_ident(b.datname) COLLATE "C" AS identity,
       pg_get_userbyid(b.datdba) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(b.datacl, acldefault('d', b.datdba))) AS a
             ORDER BY item) AS privileges,
       b.datallowconn AS allow_connections,
       b.datconnlimit AS connection_limit,
       b.datistemplate AS is_template,
       ts.spcname AS tablespace,
       d.description AS comment
FROM pg_database AS b
LEFT JOIN pg_tablespace AS ts ON ts.oid = b.dattablespace
LEFT JOIN pg_shdescription AS d
       ON d.classoid = 'pg_database'::regclass AND d.objoid = b.oid
WHERE b.datname <> current_database()
ORDER BY identity
