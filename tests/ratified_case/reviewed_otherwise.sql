-- The same objects with other bodies: each pin of spec.yaml must FAIL.
--
CREATE FUNCTION public.fn_withdraw(p_id integer, p_amount numeric) RETURNS numeric
LANGUAGE plpgsql AS $fn$
BEGIN
  IF p_amount <= 0 AND current_user <> 'ops' THEN
    RAISE EXCEPTION 'amount must be positive';
  END IF;
  UPDATE public.accounts SET balance = balance - p_amount WHERE id = p_id;
  RETURN p_amount;
END;
$fn$;
CREATE VIEW public.v_large_accounts AS
  SELECT id, owner FROM public.accounts WHERE balance > 100;
CREATE FUNCTION public.fn_accounts_touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.balance := OLD.balance; RETURN NEW;
END;
$fn$;
CREATE TRIGGER accounts_touch BEFORE INSERT OR UPDATE ON public.accounts
  FOR EACH ROW EXECUTE FUNCTION public.fn_accounts_touch();
CREATE POLICY own_rows ON public.accounts FOR SELECT TO PUBLIC USING (true);
ALTER TABLE public.accounts ADD CONSTRAINT accounts_owner_check CHECK (owner IS NOT NULL);
