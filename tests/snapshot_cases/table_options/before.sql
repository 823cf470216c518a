CREATE TABLE public.parent (id int);
CREATE TABLE public.t (id int NOT NULL, CONSTRAINT t_id_key UNIQUE (id));
