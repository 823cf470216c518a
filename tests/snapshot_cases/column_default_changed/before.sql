CREATE TABLE public.dot_config (key text PRIMARY KEY, value text NOT NULL DEFAULT 'false');
