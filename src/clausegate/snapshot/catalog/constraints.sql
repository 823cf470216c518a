-- Constraints of tables and of domains, each with pg_get_constraintdef and whether it has
-- been validated. A constraint belongs to an extension when its table or domain does.
-- PostgreSQL 18 records every NOT NULL of a column (17 every NOT NULL of a domain) as a
-- pg_constraint row too; the column's and the domain's not_null attribute already say it,
-- so such a row is left out while it is what any major would make: validated, inheritable,
-- and named by default (`<table>_<column>_not_null`, `<domain>_not_null`). A NOT NULL that
-- was given a name, made NOT VALID or NO INHERIT is kept: that state exists only there.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(COALESCE(c.relname, t.typname)) || '.'
        || quote_ident(k.conname)) COLLATE "C" AS identity,
       COALESCE(xc.extname, xt.extname) AS extension,
       CASE WHEN k.contypid <> 0 THEN 'domain' ELSE 'table' END AS "on",
       CASE k.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key'
                      WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique'
                      WHEN 'x' THEN 'exclusion' WHEN 't' THEN 'trigger'
                      WHEN 'n' THEN 'not null' ELSE k.contype::text END AS type,
       pg_get_constraintdef(k.oid) AS definition,
       -- The equality operators a foreign key compares with, which its definition does not
       -- print: set to <> in the catalog, the key accepts any row.
       CASE WHEN k.contype = 'f'
            THEN ARRAY(SELECT o.op::regoperator::text
                       FROM unnest(k.conpfeqop || k.conppeqop || k.conffeqop)
                            WITH ORDINALITY AS o(op, n)
                       ORDER BY o.n) END AS operators,
       -- The internal triggers that enforce it, on this table and the other: where, when
       -- each fires and whether it is enabled (ALTER TABLE … DISABLE TRIGGER ALL, or an
       -- UPDATE of pg_trigger, switches a foreign key off while its definition stays).
       ARRAY(SELECT (g.tgrelid::regclass::text || ' ' || g.tgfoid::regproc::text || ': '
                     || {trigger_fires} || ', '
                     || CASE g.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                                         WHEN 'R' THEN 'enabled replica'
                                         ELSE 'enabled always' END) COLLATE "C" AS item
             FROM pg_trigger AS g
             WHERE g.tgconstraint = k.oid AND g.tgisinternal
             ORDER BY item) AS triggers,
       k.convalidated AS validated,
       k.conislocal AS local,
       k.coninhcount > 0 AS inherited,
       d.description AS comment
FROM pg_constraint AS k
JOIN pg_namespace AS n ON n.oid = k.connamespace
LEFT JOIN pg_class AS c ON c.oid = k.conrelid AND k.conrelid <> 0
LEFT JOIN pg_type AS t ON t.oid = k.contypid AND k.contypid <> 0
LEFT JOIN pg_depend AS ec
       ON ec.classid = 'pg_class'::regclass AND ec.objid = k.conrelid AND ec.objsubid = 0
      AND ec.deptype = 'e'
LEFT JOIN pg_extension AS xc ON xc.oid = ec.refobjid
LEFT JOIN pg_depend AS et
       ON et.classid = 'pg_type'::regclass AND et.objid = k.contypid AND et.deptype = 'e'
LEFT JOIN pg_extension AS xt ON xt.oid = et.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid AND d.objsubid = 0
WHERE (k.conrelid <> 0 OR k.contypid <> 0)
  AND NOT (k.contype = 'n' AND k.convalidated AND NOT k.connoinherit
           AND k.conname = left(CASE WHEN k.contypid <> 0 THEN t.typname || '_not_null'
                                     ELSE c.relname || '_' || (
                                            SELECT a.attname FROM pg_attribute AS a
                                            WHERE a.attrelid = k.conrelid
                                              AND a.attnum = k.conkey[1]) || '_not_null'
                                END, 63))
  AND ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR (k.oid >= 16384 AND COALESCE(c.relpersistence, 'p') <> 't'))
       OR xc.oid IS NOT NULL OR xt.oid IS NOT NULL)
ORDER BY identity
