-- Operator families with every operator and support function they hold.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(f.opfname) || ' USING '
        || quote_ident(am.amname)) COLLATE "C" AS identity,
       x.extname AS extension,
       ARRAY(SELECT m.member COLLATE "C" AS item FROM (
                 SELECT 'OPERATOR ' || o.amopstrategy || ' ' || o.amopopr::regoperator::text
                        || ' (' || format_type(o.amoplefttype, NULL) || ', '
                        || format_type(o.amoprighttype, NULL) || ')'
                        || CASE WHEN o.amoppurpose = 'o'
                                THEN ' FOR ORDER BY ' || (SELECT quote_ident(sn.nspname) || '.'
                                                           || quote_ident(sf.opfname)
                                                    FROM pg_opfamily AS sf
                                                    JOIN pg_namespace AS sn
                                                      ON sn.oid = sf.opfnamespace
                                                    WHERE sf.oid = o.amopsortfamily)
                                ELSE '' END
                        AS member
                 FROM pg_amop AS o WHERE o.amopfamily = f.oid
                 UNION ALL
                 SELECT 'FUNCTION ' || p.amprocnum || ' ('
                        || format_type(p.amproclefttype, NULL) || ', '
                        || format_type(p.amprocrighttype, NULL) || ') '
                        || p.amproc::regprocedure::text
                 FROM pg_amproc AS p WHERE p.amprocfamily = f.oid) AS m
             ORDER BY item) AS members,
       pg_get_userbyid(f.opfowner) AS owner,
       d.description AS comment
FROM pg_opfamily AS f
JOIN pg_namespace AS n ON n.oid = f.opfnamespace
JOIN pg_am AS am ON am.oid = f.opfmethod
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_opfamily'::regclass AND e.objid = f.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_opfamily'::regclass AND d.objoid = f.oid AND d.objsubid = 0
WHERE (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR f.oid >= 16384) OR x.oid IS NOT NULL
ORDER BY identity
