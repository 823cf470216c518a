-- Work prepared to be committed after any snapshot was taken, holding its locks meanwhile.
BEGIN;
CREATE TABLE later (id int);
PREPARE TRANSACTION 'cg_case_later';

-- A replication slot keeps WAL for whoever reads it.
SELECT pg_create_physical_replication_slot('cg_case_slot');
