CREATE TABLE public.t (id int PRIMARY KEY, touched timestamptz);
CREATE FUNCTION public.fn_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE TRIGGER t_touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.fn_touch();
