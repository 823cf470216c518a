CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A file written into the server's data directory.
DO $$
BEGIN
  EXECUTE format('COPY (SELECT ''#!/bin/sh'') TO %L',
                 current_setting('data_directory') || '/base/attack.sh');
END
$$;
