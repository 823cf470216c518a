-- ALTER DEFAULT PRIVILEGES entries: the privileges objects a role creates will get.
SELECT (quote_ident(pg_get_userbyid(a.defaclrole))
        || CASE WHEN a.defaclnamespace = 0 THEN ''
                ELSE ' IN SCHEMA ' || a.defaclnamespace::regnamespace::text END
        || ' ON ' || CASE a.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
                                          WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES'
                                          WHEN 'n' THEN 'SCHEMAS'
                                          ELSE a.defaclobjtype::text END) COLLATE "C" AS identity,
       ARRAY(SELECT p::text COLLATE "C" AS item FROM unnest(a.defaclacl) AS p
             ORDER BY item) AS privileges
FROM pg_default_acl AS a
ORDER BY identity
