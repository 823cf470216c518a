-- A SECURITY DEFINER function without a fixed search_path can be hijacked.
ALTER FUNCTION public.fn_x(text) RESET search_path;
