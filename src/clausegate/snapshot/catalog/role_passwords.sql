-- A hash of each role's password verifier (never the verifier itself), so that a password
-- set, changed or removed shows. pg_authid is readable only by superusers (or by a grant):
-- see server.sql. Roles without a password are left out.
SELECT quote_ident(a.rolname) COLLATE "C" AS identity,
       encode(sha256(convert_to(a.rolpassword, 'UTF8')), 'hex') AS verifier_sha256
FROM pg_authid AS a
WHERE a.rolpassword IS NOT NULL
ORDER BY identity
