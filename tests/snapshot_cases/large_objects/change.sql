-- Data outside every table.
SELECT lo_from_bytea(424242, 'payload');

SELECT lo_put(424242, 0, 'PAYLOAD');
