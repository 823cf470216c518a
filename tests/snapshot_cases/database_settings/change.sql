DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET search_path = public, pg_catalog', current_database());
    EXECUTE format('GRANT CREATE ON DATABASE %I TO PUBLIC', current_database());
END $$;
