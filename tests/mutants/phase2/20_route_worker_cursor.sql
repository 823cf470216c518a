-- breaks: no-route-worker-run (§15.5)
-- mutant (last_run_at unchanged): the route worker's cursor counts one more run.
-- extends: the real migration, before its COMMIT

-- MUTANT: route worker cursor touched
UPDATE iu_route_worker_cursor SET runs_total = runs_total + 1
WHERE worker_name = 'iu_outbound_default';
