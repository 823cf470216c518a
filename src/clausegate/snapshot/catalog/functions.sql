-- Functions, procedures and aggregates, keyed by their identity signature (input types
-- only). The body is kept apart from the attributes pg_get_functiondef would fold into
-- one text, so "SECURITY DEFINER dropped" and "body changed" are separate findings.
-- Functions that are an internal part of another object (the constructors of a range
-- type) come and go with it and are left out, as pg_dump leaves them out.
SELECT (quote_ident(n.nspname) || '.' || quote_ident(p.proname)
        || '(' || oidvectortypes(p.proargtypes) || ')') COLLATE "C" AS identity,
       x.extname AS extension,
       CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure'
                      WHEN 'a' THEN 'aggregate' ELSE 'window function' END AS kind,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result,
       l.lanname AS language,
       CASE WHEN p.prosecdef THEN 'definer' ELSE 'invoker' END AS security,
       CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable'
                          ELSE 'volatile' END AS volatility,
       p.proisstrict AS strict,
       p.proleakproof AS leakproof,
       CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted'
                          ELSE 'unsafe' END AS parallel,
       p.procost::text AS cost,
       p.prorows::text AS rows,
       NULLIF(p.prosupport, 0)::regproc::text AS support,
       CASE WHEN p.proconfig IS NOT NULL
            THEN ARRAY(SELECT s COLLATE "C" AS item FROM unnest(p.proconfig) AS s ORDER BY item)
            ELSE ARRAY[]::text[] END AS config,
       CASE WHEN p.protrftypes IS NOT NULL
            THEN ARRAY(SELECT format_type(t, NULL)
                       FROM unnest(p.protrftypes) WITH ORDINALITY AS u(t, i) ORDER BY i)
            ELSE ARRAY[]::text[] END AS transforms,
       p.probin AS library,
       {function_body} AS body,
       md5({function_body}) AS body_md5,
       CASE WHEN p.prokind = 'a' THEN concat_ws(', ',
           'sfunc=' || ag.aggtransfn::regproc::text,
           'stype=' || format_type(ag.aggtranstype, NULL),
           'finalfunc=' || NULLIF(ag.aggfinalfn, 0)::regproc::text,
           'finalfunc_modify=' || ag.aggfinalmodify::text,
           'finalfunc_extra=' || ag.aggfinalextra::text,
           'combinefunc=' || NULLIF(ag.aggcombinefn, 0)::regproc::text,
           'serialfunc=' || NULLIF(ag.aggserialfn, 0)::regproc::text,
           'deserialfunc=' || NULLIF(ag.aggdeserialfn, 0)::regproc::text,
           'initcond=' || ag.agginitval,
           'msfunc=' || NULLIF(ag.aggmtransfn, 0)::regproc::text,
           'minvfunc=' || NULLIF(ag.aggminvtransfn, 0)::regproc::text,
           'mstype=' || NULLIF(ag.aggmtranstype, 0)::regtype::text,
           'mfinalfunc=' || NULLIF(ag.aggmfinalfn, 0)::regproc::text,
           'minitcond=' || ag.aggminitval,
           'sortop=' || NULLIF(ag.aggsortop, 0)::regoperator::text,
           'kind=' || ag.aggkind::text,
           'direct_args=' || ag.aggnumdirectargs::text) END AS aggregate,
       pg_get_userbyid(p.proowner) AS owner,
       ARRAY(SELECT a::text COLLATE "C" AS item
             FROM unnest(COALESCE(p.proacl, acldefault('f', p.proowner))) AS a
             ORDER BY item) AS privileges,
       d.description AS comment
FROM pg_proc AS p
JOIN pg_namespace AS n ON n.oid = p.pronamespace
JOIN pg_language AS l ON l.oid = p.prolang
LEFT JOIN pg_aggregate AS ag ON ag.aggfnoid = p.oid
LEFT JOIN pg_depend AS e
       ON e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e'
LEFT JOIN pg_extension AS x ON x.oid = e.refobjid
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE ((n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        OR p.oid >= 16384) OR x.oid IS NOT NULL)
  AND NOT EXISTS (SELECT FROM pg_depend AS i
                  WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid AND i.deptype = 'i')
ORDER BY identity
