CREATE FUNCTION public.fn_a(p int) RETURNS int LANGUAGE sql AS $$ SELECT p $$;
CREATE FUNCTION public.fn_b(p int) RETURNS int LANGUAGE sql AS $$ SELECT p $$;
CREATE FUNCTION public.fn_c(p int) RETURNS int LANGUAGE sql AS $$ SELECT p $$;
