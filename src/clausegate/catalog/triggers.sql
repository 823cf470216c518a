-- Every trigger, with whether it fires: enabled, disabled, replica or always. Those written
-- by users with pg_get_triggerdef; the internal ones behind foreign keys and deferrable
-- constraints (ALTER TABLE … DISABLE TRIGGER ALL switches them off too) named by their
-- table, constraint and function, since their own names carry OIDs that differ between
-- two builds of one database. An internal trigger that backs no constraint is listed like
-- a user's (catalog_flags.sql says what is wrong with it).
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.'
        || CASE WHEN g.tgisinternal AND g.tgconstraint <> 0
                THEN quote_ident(k.conname) || ' internal ' || g.tgfoid::regproc::text
                ELSE quote_ident(g.tgname) END) COLLATE "C" AS identity,
       x.extname AS extension,
       CASE WHEN NOT g.tgisinternal OR g.tgconstraint = 0 THEN pg_get_triggerdef(g.oid)
       END AS definition,
       CASE g.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                        WHEN 'R' THEN 'enabled replica' ELSE 'enabled always' END AS enabled,
       CASE WHEN g.tgisinternal THEN true END AS internal,
       d.description AS comment
FROM pg_trigger AS g
JOIN pg_class AS c ON c.oid = g.tgrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_constraint AS k ON k.oid = g.tgconstraint
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.objsubid = 0
      AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_trigger'::regclass AND d.objoid = g.oid AND d.objsubid = 0
WHERE ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (g.oid >= 16384 AND n.nspname !~ '^pg_(toast_)?temp_')) OR x.oid IS NOT NULL)
ORDER BY identity
