ROLLBACK PREPARED 'cg_case_later';

SELECT pg_drop_replication_slot('cg_case_slot');
