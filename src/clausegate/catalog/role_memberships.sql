-- Who is a member of which role, granted by whom, with its options: a login role made a
-- member of the owner, or of pg_execute_server_program, holds their privileges.
SELECT (quote_ident(m.rolname) || ' in ' || quote_ident(r.rolname) || ' by '
        || quote_ident(g.rolname)) COLLATE "C" AS identity,
       a.admin_option AS admin_option,
       {membership_inherit} AS inherit_option,
       {membership_set} AS set_option
FROM pg_auth_members AS a
JOIN pg_roles AS r ON r.oid = a.roleid
JOIN pg_roles AS m ON m.oid = a.member
JOIN pg_roles AS g ON g.oid = a.grantor
ORDER BY identity
