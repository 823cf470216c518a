-- breaks: route-worker-not-run (Option B)
-- mutation: the legacy route worker is triggered once (its gate flipped for the run, then restored); otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

UPDATE dot_config SET value = 'true' WHERE key = 'iu.route_worker_enabled';
SELECT fn_iu_route_worker_run();
UPDATE dot_config SET value = 'false' WHERE key = 'iu.route_worker_enabled';
