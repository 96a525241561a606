-- The tenants table and the trigger that announces its changes. Apply it with
-- psql -f schema.sql (it is idempotent); the tests apply it to their own server.
CREATE TABLE IF NOT EXISTS tenants (
	id     bigserial PRIMARY KEY,
	name   text NOT NULL,
	-- exactly as browsers send it, so that an exact lookup is right:
	-- scheme://host[:port], lower case, no path, no trailing slash
	origin text NOT NULL UNIQUE CHECK (origin ~ '^https?://[a-z0-9.-]+(:[0-9]{1,5})?$')
);

-- One notification per statement, delivered when its transaction commits, so
-- the reload it causes reads the committed rows. The payload is empty: the
-- listener reloads the whole table, which also covers notifications it missed.
CREATE OR REPLACE FUNCTION notify_tenants_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('tenants_changed', '');
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER tenants_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenants
	FOR EACH STATEMENT EXECUTE FUNCTION notify_tenants_changed();
