-- nextval is not undone by a rollback: the value stays advanced.
BEGIN;
SELECT nextval('public.job_id_seq'), nextval('public.job_id_seq');
ROLLBACK;
