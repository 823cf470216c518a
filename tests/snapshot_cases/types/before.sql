CREATE TYPE public.mood AS ENUM ('sad', 'happy');
CREATE DOMAIN public.positive AS int CHECK (VALUE > 0);
CREATE TYPE public.pair AS (a int, b text);
