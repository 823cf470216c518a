COMMENT ON TABLE public.t IS 'hot queue, do not touch';

COMMENT ON COLUMN public.t.id IS NULL;
