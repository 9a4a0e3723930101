-- DPoP (RFC 9449) per client; its key pair is in the keychain (`dpop/<client id>`).
ALTER TABLE clients ADD COLUMN dpop INTEGER NOT NULL DEFAULT 0;
