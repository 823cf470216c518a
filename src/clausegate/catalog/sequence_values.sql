-- How far each sequence has gone: nextval() is never rolled back, so this is state a
-- failed migration can leave behind. NULL last_value: never called. Read only when every
-- sequence is readable (server.sql), so `readable` is true here; the guard stays because
-- pg_sequence_last_value would raise an error instead.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname)) COLLATE "C" AS identity,
       CASE WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE')
            THEN pg_sequence_last_value(c.oid) END AS last_value,
       has_sequence_privilege(c.oid, 'SELECT,USAGE') AS readable
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY identity
