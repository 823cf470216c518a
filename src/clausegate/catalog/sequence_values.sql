-- How far each sequence has gone: nextval() is never rolled back, so this is state a
-- failed migration can leave behind. `is_called` false: the next nextval() returns
-- last_value itself (never called, or set back with setval(…, false)); before 18 the
-- server shows that value only in the sequence's own row, read through query_to_xml for
-- those sequences alone (about 0.25 ms each). Read only when every sequence is readable (server.sql); the guard stays
-- because pg_sequence_last_value would raise an error instead.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname)) COLLATE "C" AS identity,
       CASE WHEN v.called_at IS NOT NULL THEN v.called_at
            WHEN v.readable
            THEN {uncalled_last_value}
       END AS last_value,
       v.called_at IS NOT NULL AS is_called,
       v.readable
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
  SELECT has_sequence_privilege(c.oid, 'SELECT,USAGE') AS readable,
         CASE WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE')
              THEN pg_sequence_last_value(c.oid) END AS called_at) AS v
WHERE c.relkind = 'S'
  AND (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
       OR (c.oid >= 16384 AND c.relpersistence <> 't'))
ORDER BY identity
