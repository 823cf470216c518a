-- Event triggers: event, function, tags, whether they fire, owner.
SELECT quote_ident(t.evtname) COLLATE "C" AS identity,
       x.extname AS extension,
       t.evtevent AS event,
       t.evtfoid::regprocedure::text AS function,
       ARRAY(SELECT g COLLATE "C" AS item FROM unnest(t.evttags) AS g ORDER BY item) AS tags,
       CASE t.evtenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                         WHEN 'R' THEN 'enabled replica' ELSE 'enabled always' END AS enabled,
       pg_get_userbyid(t.evtowner) AS owner,
       d.description AS comment
FROM pg_event_trigger AS t
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_event_trigger'::regclass AND e.objid = t.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_event_trigger'::regclass AND d.objoid = t.oid AND d.objsubid = 0
ORDER BY identity
