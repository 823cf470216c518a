-- Large objects of this database: owner, privileges and a hash of their content (a large
-- object is data outside every table). Reading the content needs SELECT on pg_largeobject
-- (superuser by default): see server.sql.
SELECT m.oid::text COLLATE "C" AS identity,
       pg_get_userbyid(m.lomowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(m.lomacl, acldefault('L', m.lomowner))) AS a
             ORDER BY item) AS privileges,
       (SELECT encode(sha256(COALESCE(string_agg(l.data, ''::bytea ORDER BY l.pageno),
                                      ''::bytea)), 'hex')
        FROM pg_largeobject AS l WHERE l.loid = m.oid) AS sha256
FROM pg_largeobject_metadata AS m
ORDER BY identity
