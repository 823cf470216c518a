-- A content hash of every configuration file the server reads: postgresql.conf and the
-- files it includes, postgresql.auto.conf, pg_hba.conf and pg_ident.conf. The main files
-- are named by their role, so two servers' files compare by content; included ones by
-- path. Needs superuser or pg_read_server_files and the file-setting grants: server.sql.
WITH files AS (
  SELECT 'config_file' AS identity, current_setting('config_file') AS path
  UNION ALL SELECT 'hba_file', current_setting('hba_file')
  UNION ALL SELECT 'ident_file', current_setting('ident_file')
  UNION ALL SELECT 'postgresql.auto.conf',
                   current_setting('data_directory') || '/postgresql.auto.conf'
  UNION ALL
  SELECT DISTINCT f.sourcefile, f.sourcefile FROM pg_file_settings AS f
  WHERE f.sourcefile IS NOT NULL
    AND f.sourcefile NOT IN (current_setting('config_file'),
                             current_setting('data_directory') || '/postgresql.auto.conf')
)
SELECT f.identity COLLATE "C" AS identity,
       encode(sha256(pg_read_binary_file(f.path, 0, 67108864, true)), 'hex') AS sha256
FROM files AS f
ORDER BY identity
