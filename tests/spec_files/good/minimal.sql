CREATE TABLE gate_config (key text PRIMARY KEY, value text NOT NULL);
