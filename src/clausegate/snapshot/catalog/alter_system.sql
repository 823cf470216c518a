-- Settings written by ALTER SYSTEM, read from the file itself (pg_file_settings), so a
-- setting not yet applied by a reload still shows. The last line for a name wins, as in
-- the server. Needs superuser or a grant on pg_file_settings: see server.sql.
SELECT DISTINCT ON (f.name COLLATE "C") f.name COLLATE "C" AS identity,
       f.setting,
       f.applied,
       f.error
FROM pg_file_settings AS f
WHERE f.sourcefile ~ '(^|/)postgresql\.auto\.conf$'
ORDER BY f.name COLLATE "C", f.seqno DESC
