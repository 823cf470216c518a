ALTER TYPE public.mood ADD VALUE 'content' BEFORE 'happy';

ALTER DOMAIN public.positive SET DEFAULT 1;

ALTER DOMAIN public.positive SET NOT NULL;

ALTER DOMAIN public.positive ADD CONSTRAINT positive_small CHECK (VALUE < 1000);

ALTER TYPE public.pair ADD ATTRIBUTE c date;

CREATE TYPE public.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);

CREATE TYPE public.later;

COMMENT ON TYPE public.mood IS 'how it went';
