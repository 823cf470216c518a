-- Settings of ALTER ROLE … SET and ALTER DATABASE … SET in every scope: a role in every
-- database, a role in one database, every role in one database. This database is named
-- "this database", so two copies of it compare equal; any other by its name. A role-wide
-- `session_replication_role = replica` silences every foreign key and trigger for it.
SELECT ((CASE WHEN s.setrole = 0 THEN 'every role'
              ELSE 'role ' || quote_ident(pg_get_userbyid(s.setrole)) END)
        || ' in ' || (CASE WHEN s.setdatabase = 0 THEN 'every database'
                           WHEN b.datname = current_database() THEN 'this database'
                           ELSE 'database ' || quote_ident(b.datname) END)) COLLATE "C"
         AS identity,
       ARRAY(SELECT c COLLATE "C" AS item FROM unnest(s.setconfig) AS c ORDER BY item)
         AS settings
FROM pg_db_role_setting AS s
LEFT JOIN pg_database AS b ON b.oid = s.setdatabase
ORDER BY identity
