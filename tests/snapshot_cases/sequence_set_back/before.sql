CREATE SEQUENCE public.never_called_seq;
CREATE SEQUENCE public.called_seq;
SELECT nextval('public.called_seq');
