-- Roles are the cluster's: cleanup.sql drops them again, with their settings and grants.
CREATE ROLE cg_case_owner NOLOGIN;
CREATE ROLE cg_case_app LOGIN;
