ALTER TEXT SEARCH DICTIONARY public.simple_dict (StopWords = english);

ALTER TEXT SEARCH CONFIGURATION public.docs ALTER MAPPING FOR word WITH public.simple_dict;

CREATE TEXT SEARCH TEMPLATE public.tmpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);

CREATE TEXT SEARCH PARSER public.prs (START = prsd_start, GETTOKEN = prsd_nexttoken,
    END = prsd_end, LEXTYPES = prsd_lextype);
