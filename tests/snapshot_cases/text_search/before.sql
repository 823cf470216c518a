CREATE TEXT SEARCH DICTIONARY public.simple_dict (TEMPLATE = pg_catalog.simple);
CREATE TEXT SEARCH CONFIGURATION public.docs (COPY = pg_catalog.simple);
