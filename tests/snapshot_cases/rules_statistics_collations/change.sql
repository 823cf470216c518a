CREATE RULE jobs_log_insert AS ON INSERT TO public.jobs DO ALSO INSERT INTO public.jobs_log VALUES (NEW.id);

CREATE STATISTICS public.jobs_state_kind (dependencies) ON state, kind FROM public.jobs;

ALTER STATISTICS public.jobs_state_kind SET STATISTICS 200;

CREATE COLLATION public.german (provider = libc, locale = 'C');

CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
