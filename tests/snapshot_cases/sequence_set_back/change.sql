-- Set without being called: pg_sequence_last_value reads NULL before and after, the
-- sequence's own row says 1 → 100.
SELECT setval('public.never_called_seq', 100, false);

-- Set back so that the next nextval() returns the value already used.
SELECT setval('public.called_seq', 1, false);
