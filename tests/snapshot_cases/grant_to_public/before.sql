CREATE TABLE public.secrets (id int PRIMARY KEY, value text);
CREATE FUNCTION public.fn_admin() RETURNS void LANGUAGE sql AS $$ SELECT $$;
REVOKE EXECUTE ON FUNCTION public.fn_admin() FROM PUBLIC;
