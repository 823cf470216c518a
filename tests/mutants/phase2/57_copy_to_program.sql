-- breaks: no-forbidden-statement (scope)
-- extends: the real migration
-- runs as: superuser
-- mutant: a shell command run by the server with COPY (SELECT …) TO PROGRAM; it exits at
-- once and leaves no file, process or catalog change behind.

COPY (SELECT 'phase2') TO PROGRAM 'cat >/dev/null';
