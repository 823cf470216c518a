DELETE FROM public.readings WHERE v < 0;
