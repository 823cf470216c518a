CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A daemon started from SQL, still running after the migration ended.
COPY (SELECT 1) TO PROGRAM 'cat >/dev/null; nohup sleep 300 >/dev/null 2>&1 </dev/null &';
