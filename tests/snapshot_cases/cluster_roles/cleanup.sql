DROP ROLE cg_case_root;

DROP ROLE cg_case_app;

DROP ROLE cg_case_owner;
