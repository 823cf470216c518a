-- Who is a member of which role, granted by whom, with its options: a login role made a
-- member of the owner, or of pg_execute_server_program, holds their privileges. A row whose
-- role, member or grantor is no role (an INSERT into pg_auth_members by hand) still counts:
-- the server honours it, so it is named by the OID.
SELECT (COALESCE(quote_ident(m.rolname), 'unknown role ' || a.member) || ' in '
        || COALESCE(quote_ident(r.rolname), 'unknown role ' || a.roleid) || ' by '
        || COALESCE(quote_ident(g.rolname), 'unknown role ' || a.grantor)) COLLATE "C"
         AS identity,
       a.admin_option AS admin_option,
       {membership_inherit} AS inherit_option,
       {membership_set} AS set_option
FROM pg_auth_members AS a
LEFT JOIN pg_roles AS r ON r.oid = a.roleid
LEFT JOIN pg_roles AS m ON m.oid = a.member
LEFT JOIN pg_roles AS g ON g.oid = a.grantor
ORDER BY identity
