UPDATE public.dot_config SET value = 'true' WHERE key = 'queue.heartbeat.enabled';

INSERT INTO public.dot_config VALUES ('queue.runtime.phase', 'phase2_governance');

INSERT INTO public.queue_heartbeat VALUES ('iu_outbound_default', 'PG_worker');
