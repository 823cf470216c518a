CREATE OPERATOR public.=== (LEFTARG = public.amount, RIGHTARG = public.amount,
    FUNCTION = public.amount_eq, COMMUTATOR = OPERATOR(public.===));

CREATE CAST (public.amount AS text) WITH FUNCTION public.amount_text(public.amount);

CREATE OPERATOR FAMILY public.int_reverse USING btree;

CREATE OPERATOR CLASS public.int_ops_copy FOR TYPE int USING btree FAMILY public.int_reverse AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 public.int_cmp(int, int);
