ALTER TABLE public.dot_config ALTER COLUMN value SET DEFAULT 'true';
