CREATE TABLE public.ledger (
  amount integer NOT NULL,
  doubled integer GENERATED ALWAYS AS (amount * 2) STORED,
  note text DEFAULT 'none'
);
