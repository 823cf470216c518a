-- Flags the server acts on that are out of step with the objects they summarise, each in
-- words. The server reads pg_class.relchecks, not pg_constraint, to decide how many CHECKs
-- to enforce; relhastriggers and relhasrules to decide whether to look for triggers and
-- rules at all; an index that is not ready is not maintained, one that is not valid is
-- not used (a UNIQUE one then enforces nothing); a trigger flagged internal without a
-- constraint behind it hides from \d and from pg_dump. A superuser can set any of them with
-- an UPDATE of the catalog, and the objects' own rows still read as before. `table` names
-- the table a flag belongs to, so a spec's schema_changed of that table sees it.
WITH counted AS (
  -- What each relation has, counted in one pass over each catalog (a subquery per
  -- relation costs a quarter of a second at 10,000 tables).
  SELECT c.oid, c.relname, c.relnamespace, c.relchecks, c.relhastriggers, c.relhasrules,
         c.relhasindex, COALESCE(k.checks, 0) AS checks, COALESCE(g.triggers, 0) AS triggers,
         COALESCE(r.rules, 0) AS rules, COALESCE(i.indexes, 0) AS indexes
  FROM pg_class AS c
  LEFT JOIN (SELECT conrelid, count(*) AS checks FROM pg_constraint WHERE contype = 'c'
             GROUP BY conrelid) AS k ON k.conrelid = c.oid
  LEFT JOIN (SELECT tgrelid, count(*) AS triggers FROM pg_trigger GROUP BY tgrelid) AS g
         ON g.tgrelid = c.oid
  LEFT JOIN (SELECT ev_class, count(*) AS rules FROM pg_rewrite WHERE rulename <> '_RETURN'
             GROUP BY ev_class) AS r ON r.ev_class = c.oid
  LEFT JOIN (SELECT indrelid, count(*) AS indexes FROM pg_index GROUP BY indrelid) AS i
         ON i.indrelid = c.oid
  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND c.oid >= 16384
),
relations AS (
  SELECT t.*, (quote_ident(n.nspname) || '.' || quote_ident(t.relname)) AS name
  FROM counted AS t
  JOIN pg_namespace AS n ON n.oid = t.relnamespace
  WHERE t.relchecks <> t.checks OR (NOT t.relhastriggers AND t.triggers > 0)
     OR (NOT t.relhasrules AND t.rules > 0) OR (NOT t.relhasindex AND t.indexes > 0)
),
problems AS (
  SELECT name || ' relchecks' AS identity, name AS "table",
         format('pg_class.relchecks is %s but %s has %s CHECK constraint(s): the server '
                'enforces %s', relchecks, name, checks,
                CASE WHEN relchecks = 0 THEN 'none of them'
                     WHEN relchecks < checks THEN 'only ' || relchecks || ' of them'
                     ELSE 'them and expects more, so it reports missing constraint rows' END)
           AS problem
  FROM relations WHERE relchecks <> checks
  UNION ALL
  SELECT name || ' relhastriggers', name,
         format('pg_class.relhastriggers is false but %s has %s trigger(s), counting those '
                'behind foreign keys: none of them fires', name, triggers)
  FROM relations WHERE NOT relhastriggers AND triggers > 0
  UNION ALL
  SELECT name || ' relhasrules', name,
         format('pg_class.relhasrules is false but %s has %s rule(s): none of them applies',
                name, rules)
  FROM relations WHERE NOT relhasrules AND rules > 0
  UNION ALL
  SELECT name || ' relhasindex', name,
         format('pg_class.relhasindex is false but %s has %s index(es): writes do not '
                'maintain them', name, indexes)
  FROM relations WHERE NOT relhasindex AND indexes > 0
  UNION ALL
  SELECT i.indexrelid::regclass::text || ' ' || flag.name, i.indrelid::regclass::text,
         format('index %s on %s: pg_index.%s is false (%s)', i.indexrelid::regclass,
                i.indrelid::regclass, flag.name, flag.meaning)
  FROM pg_index AS i
  CROSS JOIN LATERAL (VALUES
    ('indisready', i.indisready, 'writes do not maintain it; a UNIQUE index enforces nothing'),
    ('indislive', i.indislive, 'the server treats it as being dropped'),
    ('indisvalid', i.indisvalid, 'queries do not use it; a UNIQUE index may hold duplicates'))
    AS flag(name, value, meaning)
  WHERE i.indexrelid >= 16384 AND NOT flag.value
  UNION ALL
  SELECT quote_ident(g.tgname) || ' on ' || g.tgrelid::regclass::text || ' tgisinternal',
         g.tgrelid::regclass::text,
         format('trigger %I on %s is flagged internal but backs no constraint: \d and '
                'pg_dump do not show it', g.tgname, g.tgrelid::regclass)
  FROM pg_trigger AS g
  WHERE g.oid >= 16384 AND g.tgisinternal AND g.tgconstraint = 0 AND g.tgparentid = 0
)
SELECT identity COLLATE "C" AS identity, "table", problem
FROM problems
ORDER BY identity
