CREATE TABLE public.dot_config (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO public.dot_config VALUES ('queue.worker.enabled', 'false'),
                                     ('queue.heartbeat.enabled', 'false');
CREATE TABLE public.queue_heartbeat (executor_name text PRIMARY KEY, executor_kind text);
