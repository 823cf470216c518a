-- breaks: no-worker-started (WK-A)
-- extends: the real migration
-- runs as: superuser
-- server: own
-- mutant: a daemon started from SQL with COPY … TO PROGRAM, left running; only a cluster
-- clausegate runs can watch its processes.

COPY (SELECT 1) TO PROGRAM 'cat >/dev/null; nohup sleep 300 >/dev/null 2>&1 </dev/null &';
