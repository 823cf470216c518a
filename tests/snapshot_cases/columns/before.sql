CREATE TABLE public.t (
    id int NOT NULL,
    name varchar(20),
    note text,
    old text,
    total numeric
);
