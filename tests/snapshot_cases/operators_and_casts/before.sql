CREATE TYPE public.amount AS (value numeric, currency text);
CREATE FUNCTION public.amount_eq(public.amount, public.amount) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 = $2 $$;
CREATE FUNCTION public.amount_text(public.amount) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1.value || ' ' || $1.currency $$;
CREATE FUNCTION public.int_cmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN $1 < $2 THEN -1 WHEN $1 > $2 THEN 1 ELSE 0 END $$;
