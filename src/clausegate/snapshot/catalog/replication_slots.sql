-- Replication slots of the cluster: a slot keeps WAL (and, logical, catalog rows) for
-- whoever reads it, and a logical slot streams every change of its database out.
SELECT quote_ident(s.slot_name) COLLATE "C" AS identity,
       s.slot_type AS type,
       s.plugin AS plugin,
       CASE WHEN s.database = current_database() THEN 'this database'
            ELSE s.database END AS database,
       s.temporary AS temporary
FROM pg_replication_slots AS s
ORDER BY identity
