-- breaks: job-queue-untouched (Option A)
-- mutation: the migration claims work: a leased job appears; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

INSERT INTO job_queue (job_kind, state, lease_owner, lease_until, enqueued_by)
VALUES ('iu_outbound_dispatch', 'leased', 'phase3b_synthetic_external', now() + interval '5 minutes',
        'dieu45_phase3b_mig_053');
