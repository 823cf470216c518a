CREATE TABLE public.accounts (
  id integer PRIMARY KEY,
  owner text NOT NULL,
  balance numeric NOT NULL CONSTRAINT accounts_balance_check CHECK (balance >= 0)
);
ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY;
