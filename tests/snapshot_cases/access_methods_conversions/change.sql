CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler;

CREATE CONVERSION public.latin1_utf8 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;

CREATE LANGUAGE plcopy HANDLER plpgsql_call_handler;
