-- Network settings (issue 12): a client's extra trusted CA certificates (PEM; public, not secrets).
-- The global network settings live in the settings table's `app` value; a proxy password is in the keychain.
ALTER TABLE clients ADD COLUMN ca_pem TEXT;
