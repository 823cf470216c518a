-- postgresql.auto.conf rewritten: the file's hash changes with the setting.
ALTER SYSTEM SET work_mem = '7MB';
