CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A membership written into the catalog by hand, granted by no role: the server honours it.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    EXECUTE $i$INSERT INTO pg_auth_members
                 (oid, roleid, member, grantor, admin_option, inherit_option, set_option)
               VALUES (99999, 'pg_execute_server_program'::regrole, 'attack_app'::regrole, 0,
                       true, true, true)$i$;
  ELSE
    EXECUTE $i$INSERT INTO pg_auth_members (roleid, member, grantor, admin_option)
               VALUES ('pg_execute_server_program'::regrole, 'attack_app'::regrole, 0, true)$i$;
  END IF;
END
$$;
