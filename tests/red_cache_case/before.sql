CREATE TABLE public.readings (id integer PRIMARY KEY, v integer NOT NULL);
INSERT INTO public.readings SELECT g, 1 FROM generate_series(1, 3000) AS g;
INSERT INTO public.readings VALUES (3001, -1);
