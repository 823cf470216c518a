-- A grant on, and the release of, an object that belongs to an extension.
REVOKE EXECUTE ON FUNCTION public.moddatetime() FROM PUBLIC;

ALTER EXTENSION tcn DROP FUNCTION public.triggered_change_notification();
