CREATE TABLE public.jobs (id bigint);
CREATE SEQUENCE public.jobs_id_seq;
CREATE SEQUENCE public.other_seq;
