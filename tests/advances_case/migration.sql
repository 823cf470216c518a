COMMENT ON TABLE public.payments IS 'payments, one row each';
