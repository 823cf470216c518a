-- Transactions prepared for two-phase commit, on any database of the cluster: work that
-- holds its locks and can still be committed after any snapshot was taken.
SELECT p.gid COLLATE "C" AS identity,
       CASE WHEN p.database = current_database() THEN 'this database'
            ELSE p.database END AS database,
       p.owner AS owner
FROM pg_prepared_xacts AS p
ORDER BY identity
