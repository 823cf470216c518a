ALTER TABLE public.t SET (fillfactor = 70, autovacuum_enabled = off);

ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_id_key;

ALTER TABLE public.t CLUSTER ON t_id_key;

ALTER TABLE public.t INHERIT public.parent;

ALTER TABLE public.t OWNER TO pg_monitor;
