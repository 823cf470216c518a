CREATE TABLE gate_config (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO gate_config VALUES ('demo.enabled', 'false'), ('demo.worker.enabled', 'false');
