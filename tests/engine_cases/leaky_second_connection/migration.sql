CREATE FUNCTION fn_note(p_actor text) RETURNS text LANGUAGE sql AS $$
  SELECT dblink_exec(
    format('host=%s port=%s dbname=%s user=%s',
           split_part(current_setting('unix_socket_directories'), ',', 1),
           current_setting('port'), current_database(), current_user),
    format('INSERT INTO ledger VALUES (1000, %L)', p_actor))
$$;
