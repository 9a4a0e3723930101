-- Pushed authorization requests (RFC 9126) per client.
ALTER TABLE clients ADD COLUMN par INTEGER NOT NULL DEFAULT 0;
