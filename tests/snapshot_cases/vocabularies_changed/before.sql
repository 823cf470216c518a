CREATE DOMAIN public.channel AS text CHECK (VALUE IN ('email', 'sms', 'push'));
CREATE TABLE public.job (
    id bigint PRIMARY KEY,
    state varchar(20) NOT NULL,
    CONSTRAINT job_state_check CHECK (state IN ('queued', 'running', 'done'))
);
