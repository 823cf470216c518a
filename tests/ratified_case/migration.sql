-- The reviewed migration: one function, a view, a trigger, a policy and a CHECK, each
-- pinned by spec.yaml as it was reviewed.
CREATE FUNCTION public.fn_withdraw(p_id integer, p_amount numeric) RETURNS numeric
LANGUAGE plpgsql AS $fn$
BEGIN
  IF p_amount IS NULL OR p_amount <= 0 THEN
    RAISE EXCEPTION 'amount must be positive';
  END IF;
  UPDATE public.accounts SET balance = balance - p_amount WHERE id = p_id;
  RETURN p_amount;
END;
$fn$;
CREATE VIEW public.v_large_accounts AS
  SELECT id, owner FROM public.accounts WHERE balance > 1000;
CREATE FUNCTION public.fn_accounts_touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON public.accounts
  FOR EACH ROW EXECUTE FUNCTION public.fn_accounts_touch();
CREATE POLICY own_rows ON public.accounts FOR SELECT TO PUBLIC USING (owner = current_user);
ALTER TABLE public.accounts ADD CONSTRAINT accounts_owner_check CHECK (owner <> '');
