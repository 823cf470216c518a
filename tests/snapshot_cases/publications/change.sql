ALTER PUBLICATION pub_a ADD TABLE public.b;

ALTER PUBLICATION pub_a SET (publish = 'insert, update');

CREATE PUBLICATION pub_filtered FOR TABLE public.a (id) WHERE (id > 10);

CREATE PUBLICATION pub_queue FOR TABLES IN SCHEMA queue;
