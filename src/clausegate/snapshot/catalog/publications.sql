-- Publications: what they publish (tables, with row filters and column lists where the
-- server has them; whole schemas from PostgreSQL 15), which actions, owner.
SELECT quote_ident(p.pubname) COLLATE "C" AS identity,
       p.puballtables AS all_tables,
       array_remove(ARRAY[CASE WHEN p.pubinsert THEN 'insert' END,
                          CASE WHEN p.pubupdate THEN 'update' END,
                          CASE WHEN p.pubdelete THEN 'delete' END,
                          CASE WHEN p.pubtruncate THEN 'truncate' END], NULL) AS actions,
       p.pubviaroot AS via_root,
       ARRAY(SELECT (r.prrelid::regclass::text || {publication_table_details}) COLLATE "C"
                    AS item
             FROM pg_publication_rel AS r WHERE r.prpubid = p.oid ORDER BY item) AS tables,
       {publication_schemas} AS schemas,
       pg_get_userbyid(p.pubowner) AS owner,
       d.description AS comment
FROM pg_publication AS p
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_publication'::regclass AND d.objoid = p.oid AND d.objsubid = 0
ORDER BY identity
