-- Every role of the cluster with every attribute the server acts on (pg_roles is readable
-- by any role; the password verifier itself is never read here, see role_passwords.sql).
-- A role is cluster-wide: a migration on one database can make a login superuser for all.
SELECT quote_ident(r.rolname) COLLATE "C" AS identity,
       r.rolsuper AS superuser,
       r.rolinherit AS inherit,
       r.rolcreaterole AS createrole,
       r.rolcreatedb AS createdb,
       r.rolcanlogin AS login,
       r.rolreplication AS replication,
       r.rolbypassrls AS bypassrls,
       r.rolconnlimit AS connection_limit,
       r.rolvaliduntil::text AS valid_until,
       d.description AS comment
FROM pg_roles AS r
LEFT JOIN pg_shdescription AS d
       ON d.classoid = 'pg_authid'::regclass AND d.objoid = r.oid
ORDER BY identity
