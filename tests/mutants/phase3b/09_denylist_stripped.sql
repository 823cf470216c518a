-- breaks: metadata-denylist-error (Option A)
-- mutation: denylisted metadata keys are silently stripped instead of failing on the table CHECK; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -52,6 +52,7 @@

   -- Strip caller-supplied identity keys; pin them ourselves for audit integrity
   v_meta := COALESCE(p_metadata,'{}'::jsonb) - 'ping_actor' - 'ping_origin' - 'ping_at' - 'ping_function';
+  v_meta := v_meta - ARRAY['body','raw_body','vector','embedding','secret','token','password','api_key','credential'];
   v_meta := v_meta || jsonb_build_object(
     'ping_origin','external_operator',
     'ping_actor', v_actor,
