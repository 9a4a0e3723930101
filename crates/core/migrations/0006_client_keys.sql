-- private_key_jwt (RFC 7523): the client's public JWK, to show and copy into the provider.
-- The private key is in the keychain, as the client's secret.
ALTER TABLE clients ADD COLUMN public_jwk_json TEXT;
