-- Subscriptions of this database. The connection string is left out: only superusers
-- may read it, and it may hold a password.
SELECT quote_ident(s.subname) COLLATE "C" AS identity,
       s.subenabled AS enabled,
       ARRAY(SELECT p COLLATE "C" AS item FROM unnest(s.subpublications) AS p
             ORDER BY item) AS publications,
       s.subslotname::text AS slot_name,
       s.subsynccommit AS synchronous_commit,
       array_remove(ARRAY[{subscription_binary}, {subscription_streaming},
                          {subscription_two_phase}, {subscription_disable_on_error},
                          {subscription_origin}, {subscription_password_required},
                          {subscription_run_as_owner}, {subscription_failover}], NULL) AS options,
       pg_get_userbyid(s.subowner) AS owner,
       d.description AS comment
FROM pg_subscription AS s
LEFT JOIN pg_description AS d
       ON d.classoid = 'pg_subscription'::regclass AND d.objoid = s.oid AND d.objsubid = 0
WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY identity
