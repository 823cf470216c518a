CREATE FUNCTION public.fn_x(p text) RETURNS text LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$ SELECT p $$;
