CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at);

CREATE TABLE public.events_2026 PARTITION OF public.events
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE FOREIGN TABLE public.imported (line text) SERVER files OPTIONS (filename '/dev/null');

CREATE UNLOGGED TABLE public.cache (k text);

ALTER TABLE public.scratch SET UNLOGGED;

DROP TABLE public.plain;
