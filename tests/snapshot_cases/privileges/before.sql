CREATE SCHEMA queue;
CREATE TABLE queue.jobs (id int, payload text);
CREATE SEQUENCE queue.jobs_seq;
CREATE FUNCTION queue.fn_claim() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
