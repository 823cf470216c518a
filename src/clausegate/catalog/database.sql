-- The database itself, under the fixed identity "current" so that two copies of one
-- database compare equal: owner, privileges, comment, and the settings of ALTER DATABASE
-- SET and ALTER ROLE ... IN DATABASE SET.
SELECT 'current' AS identity,
       pg_get_userbyid(b.datdba) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(b.datacl, acldefault('d', b.datdba))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment,
       ARRAY(SELECT (CASE WHEN s.setrole = 0 THEN 'ALL'
                          ELSE quote_ident(pg_get_userbyid(s.setrole)) END
                     || ': ' || c) COLLATE "C" AS item
             FROM pg_db_role_setting AS s, unnest(s.setconfig) AS c
             WHERE s.setdatabase = b.oid ORDER BY item) AS settings
FROM pg_database AS b
LEFT JOIN pg_shdescription AS d
       ON d.classoid = 'pg_database'::regclass AND d.objoid = b.oid
WHERE b.datname = current_database()
ORDER BY identity
