CREATE TABLE public.event_outbox (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    CONSTRAINT event_outbox_kind_check CHECK (kind IN ('a', 'b'))
);
