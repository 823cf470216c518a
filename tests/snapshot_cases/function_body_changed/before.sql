CREATE FUNCTION public.fn_x(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(p) $$;
