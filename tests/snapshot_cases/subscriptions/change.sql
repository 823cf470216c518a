CREATE SUBSCRIPTION sub_queue CONNECTION 'dbname=nowhere password=secret' PUBLICATION pub_queue
    WITH (connect = false, enabled = false, slot_name = NONE);
