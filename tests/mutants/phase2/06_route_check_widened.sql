-- breaks: no-route-check-widening (DC-7)
-- mutant: widens iu_sql_event_route's domain CHECK under the same name (seed 003: still
-- domain=iu only).
-- extends: the real migration, before its COMMIT

-- MUTANT: iu_sql_event_route CHECK widened
ALTER TABLE iu_sql_event_route
  DROP CONSTRAINT iu_sql_event_route_domain_check,
  ADD CONSTRAINT iu_sql_event_route_domain_check CHECK (domain IN ('iu', 'system'));
