-- Dynamic client registration (RFC 7591/7592): where the registration is managed. The
-- registration access token itself is a secret and lives in the keychain (`registration/<id>`).
ALTER TABLE clients ADD COLUMN registration_client_uri TEXT;
