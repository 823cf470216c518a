-- The database itself, under the fixed identity "current" so that two copies of one
-- database compare equal: owner, privileges, comment, and the attributes the server acts
-- on (connections allowed and their limit, template). Its settings (ALTER DATABASE SET,
-- ALTER ROLE … IN DATABASE SET) are in role_settings.sql, with those of every other scope.
SELECT 'current' AS identity,
       pg_get_userbyid(b.datdba) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(b.datacl, acldefault('d', b.datdba))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment,
       b.datallowconn AS allow_connections,
       b.datconnlimit AS connection_limit,
       b.datistemplate AS is_template,
       pg_encoding_to_char(b.encoding) AS encoding,
       ts.spcname AS tablespace
FROM pg_database AS b
LEFT JOIN pg_tablespace AS ts ON ts.oid = b.dattablespace
LEFT JOIN pg_shdescription AS d
       ON d.classoid = 'pg_database'::regclass AND d.objoid = b.oid
WHERE b.datname = current_database()
ORDER BY identity
