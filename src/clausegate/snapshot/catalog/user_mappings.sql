-- User mappings. A password option is masked: a snapshot is written to files and reports,
-- and a secret must never reach those; a changed password therefore does not show.
-- pg_user_mappings shows options only to those allowed to see them, as pg_dump does.
SELECT (CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE quote_ident(m.usename) END
        || ' SERVER ' || quote_ident(m.srvname)) COLLATE "C" AS identity,
       ARRAY(SELECT CASE WHEN split_part(o, '=', 1) = 'password'
                         THEN 'password=********' ELSE o END COLLATE "C" AS item
             FROM unnest(m.umoptions) AS o ORDER BY item) AS options
FROM pg_user_mappings AS m
ORDER BY identity
