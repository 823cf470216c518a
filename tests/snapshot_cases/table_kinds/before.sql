CREATE TABLE public.plain (id int);
CREATE TABLE public.scratch (id int);
CREATE EXTENSION file_fdw;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
