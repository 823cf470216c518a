CREATE SCHEMA queue;
CREATE TABLE public.a (id int PRIMARY KEY, v text);
CREATE TABLE public.b (id int PRIMARY KEY);
CREATE PUBLICATION pub_a FOR TABLE public.a;
