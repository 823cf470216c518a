ALTER FUNCTION public.fn_a(int) STABLE STRICT PARALLEL SAFE COST 5;

ALTER FUNCTION public.fn_b(int) LEAKPROOF SET work_mem = '8MB';

ALTER FUNCTION public.fn_c(int) OWNER TO pg_monitor;

CREATE PROCEDURE public.pr_reap(p_limit int DEFAULT 100) LANGUAGE plpgsql AS $$ BEGIN END $$;

CREATE AGGREGATE public.agg_concat(text) (SFUNC = textcat, STYPE = text, INITCOND = '');

CREATE FUNCTION public.fn_set() RETURNS SETOF int LANGUAGE sql ROWS 10 AS $$ SELECT 1 $$;

DROP FUNCTION public.fn_b(int);

CREATE FUNCTION public.fn_b(p int, q int DEFAULT 0) RETURNS int LANGUAGE sql
BEGIN ATOMIC SELECT p + q; END;
