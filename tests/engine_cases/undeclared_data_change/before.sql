CREATE TABLE ledger (id integer PRIMARY KEY, actor text NOT NULL);
INSERT INTO ledger SELECT g, 'legacy' FROM generate_series(1, 20) g;
CREATE TABLE other (id integer PRIMARY KEY);
