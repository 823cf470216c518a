CREATE TABLE public.t (id int PRIMARY KEY);
COMMENT ON TABLE public.t IS 'hot queue';
COMMENT ON COLUMN public.t.id IS 'job id';
