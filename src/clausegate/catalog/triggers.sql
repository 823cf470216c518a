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
       -- What pg_get_triggerdef would say of an internal trigger: when and on what it
       -- fires (a foreign key's check that no longer fires on INSERT enforces nothing).
       CASE WHEN g.tgisinternal AND g.tgconstraint <> 0 THEN concat_ws(' ',
         CASE WHEN g.tgtype & 2 <> 0 THEN 'BEFORE' WHEN g.tgtype & 64 <> 0 THEN 'INSTEAD OF'
              ELSE 'AFTER' END,
         NULLIF(array_to_string(ARRAY[CASE WHEN g.tgtype & 4 <> 0 THEN 'INSERT' END,
                                      CASE WHEN g.tgtype & 8 <> 0 THEN 'DELETE' END,
                                      CASE WHEN g.tgtype & 16 <> 0 THEN 'UPDATE' END,
                                      CASE WHEN g.tgtype & 32 <> 0 THEN 'TRUNCATE' END],
                                ' OR '), ''),
         CASE WHEN g.tgtype & 1 <> 0 THEN 'FOR EACH ROW' ELSE 'FOR EACH STATEMENT' END,
         CASE WHEN g.tgdeferrable THEN 'DEFERRABLE' END,
         CASE WHEN g.tginitdeferred THEN 'INITIALLY DEFERRED' END,
         CASE WHEN g.tgattr::text <> '' THEN 'OF column numbers ' || g.tgattr::text END,
         CASE WHEN g.tgqual IS NOT NULL THEN 'WHEN (a condition)' END,
         CASE WHEN g.tgnargs > 0 THEN 'with arguments ' || encode(g.tgargs, 'escape') END,
         'FROM ' || NULLIF(g.tgconstrrelid, 0)::regclass::text)
       END AS fires,
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
        OR (g.oid >= 16384 AND c.relpersistence <> 't')) OR x.oid IS NOT NULL)
ORDER BY identity
