-- A payments table whose id is a serial and a ledger whose id is an identity: a probe that
-- inserts into either calls nextval(), which its rollback does not undo.
CREATE TABLE public.payments (
  id serial PRIMARY KEY,
  amount integer NOT NULL CHECK (amount > 0)
);
CREATE TABLE public.ledger (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  note text NOT NULL
);
INSERT INTO public.payments (amount) VALUES (10), (20);
CREATE FUNCTION public.fn_pay(p_amount integer) RETURNS integer
LANGUAGE sql AS $$ INSERT INTO public.payments (amount) VALUES (p_amount) RETURNING id $$;
