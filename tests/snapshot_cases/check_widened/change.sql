-- Same name, wider vocabulary: a count of CHECK constraints would not notice.
ALTER TABLE public.event_outbox DROP CONSTRAINT event_outbox_kind_check;

ALTER TABLE public.event_outbox
    ADD CONSTRAINT event_outbox_kind_check CHECK (kind IN ('a', 'b', 'c'));
