CREATE SEQUENCE public.job_id_seq;
SELECT nextval('public.job_id_seq');
