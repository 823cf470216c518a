CREATE TABLE public.parent (id int PRIMARY KEY);
CREATE TABLE public.t (id int, parent_id int, code text, during tsrange, box box);
ALTER TABLE public.t ADD CONSTRAINT t_positive CHECK (id > 0) NOT VALID;
CREATE FUNCTION public.fn_check() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
