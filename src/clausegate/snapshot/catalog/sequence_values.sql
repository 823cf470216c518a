-- How far each sequence has gone: nextval() is never rolled back, so this is state a
-- failed migration can leave behind. `is_called` false: the next nextval() returns
-- last_value itself (never called, or set back with setval(…, false)); before 18 the
-- server shows that value only in the sequence's own row, so the uncalled sequences are
-- read from their rows, a hundred in one query_to_xml (one call per sequence costs about
-- 0.15 ms each; planning a UNION of thousands grows faster than its length). Read only
-- when every sequence is readable (server.sql); the guard stays because
-- pg_sequence_last_value would raise an error instead.
WITH sequence AS (
  SELECT c.oid,
         (quote_ident(n.nspname) || '.' || quote_ident(c.relname)) COLLATE "C" AS identity,
         has_sequence_privilege(c.oid, 'SELECT,USAGE') AS readable
  FROM pg_class AS c
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE c.relkind = 'S'
    AND (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
         OR (c.oid >= 16384 AND c.relpersistence <> 't'))
), state AS (
  SELECT s.oid, s.identity, s.readable,
         CASE WHEN s.readable THEN pg_sequence_last_value(s.oid) END AS called_at
  FROM sequence AS s
), uncalled AS (
  SELECT oid, (row_number() OVER (ORDER BY oid) - 1) / 100 AS batch
  FROM state
  WHERE readable AND called_at IS NULL
), uncalled_value AS (
  {uncalled_last_values}
)
SELECT s.identity,
       COALESCE(s.called_at, u.last_value) AS last_value,
       s.called_at IS NOT NULL AS is_called,
       s.readable
FROM state AS s
LEFT JOIN uncalled_value AS u ON u.oid = s.oid
ORDER BY s.identity
