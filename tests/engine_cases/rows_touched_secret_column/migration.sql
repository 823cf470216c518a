BEGIN;
UPDATE account SET name = 'alicia', api_token = 'tok-stolen-9999',
                   settings = '{"theme": "light", "password": "letmein"}' WHERE id = 1;
COMMIT;
