-- Narrowed: a domain loses a value under the same constraint name.
ALTER DOMAIN public.channel DROP CONSTRAINT channel_check;

ALTER DOMAIN public.channel ADD CONSTRAINT channel_check CHECK (VALUE IN ('email', 'sms'));

-- Changed both ways, on a varchar column (its values are cast twice when deparsed).
ALTER TABLE public.job DROP CONSTRAINT job_state_check,
    ADD CONSTRAINT job_state_check CHECK (state IN ('queued', 'running', 'done', 'it''s dead'));

ALTER TABLE public.job DROP CONSTRAINT job_state_check,
    ADD CONSTRAINT job_state_check CHECK (state IN ('queued', 'done', 'it''s dead'));
