-- A default that names a column, which CREATE and ALTER refuse: written into pg_attrdef
-- by hand, as a superuser can. It must still be shown as what it is.
UPDATE pg_catalog.pg_attrdef
SET adbin = (SELECT d.adbin FROM pg_catalog.pg_attrdef AS d
             WHERE d.adrelid = 'public.ledger'::regclass AND d.adnum = 2)
WHERE adrelid = 'public.ledger'::regclass AND adnum = 3;
