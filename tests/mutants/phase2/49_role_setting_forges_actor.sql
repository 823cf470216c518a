-- breaks: closed-world (closed-world)
-- extends: the real migration
-- runs as: superuser
-- server: own
-- mutant: role-wide defaults for the owner role: every later session of workflow_admin runs
-- with its foreign keys and triggers off (replication mode) and acts as 'hermes' (seed 000
-- pins app.heartbeat_actor). Roles are the cluster's, so it gates on a cluster of its own.

ALTER ROLE workflow_admin SET session_replication_role = replica;
ALTER ROLE workflow_admin SET app.heartbeat_actor = 'hermes';
