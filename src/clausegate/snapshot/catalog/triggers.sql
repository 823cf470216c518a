-- Triggers with pg_get_triggerdef and whether they fire: enabled, disabled, replica or
-- always. The internal ones behind foreign keys and deferrable constraints belong to their
-- constraint (constraints.sql lists them there); an internal trigger that backs no
-- constraint is listed like a user's, flagged (catalog_flags.sql says what is wrong).
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.'
        || quote_ident(g.tgname)) COLLATE "C" AS identity,
       x.extname AS extension,
       pg_get_triggerdef(g.oid) AS definition,
       CASE g.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                        WHEN 'R' THEN 'enabled replica' ELSE 'enabled always' END AS enabled,
       CASE WHEN g.tgisinternal THEN true END AS internal,
       d.description AS comment
FROM pg_trigger AS g
JOIN pg_class AS c ON c.oid = g.tgrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_trigger'::regclass AND d.objoid = g.oid AND d.objsubid = 0
WHERE (NOT g.tgisinternal OR g.tgconstraint = 0)
  AND ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (g.oid >= 16384 AND c.relpersistence <> 't')) OR x.oid IS NOT NULL)
ORDER BY identity
