-- Same number of rows, same schema: only the content hash sees it.
UPDATE public.dot_config SET value = 'true' WHERE key = 'queue.heartbeat.enabled';
