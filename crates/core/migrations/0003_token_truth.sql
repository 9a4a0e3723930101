-- Token truth (issue 4): the ID token signing algorithm a client registered, what each login
-- asked for (nonce, max_age, resource: none of them secret) so a grant can be re-checked later,
-- and fetched JWKS (public keys) so inspection works offline and key rotation is detected.
ALTER TABLE clients ADD COLUMN id_token_alg TEXT;
ALTER TABLE grants ADD COLUMN request_json TEXT NOT NULL DEFAULT '{}';

CREATE TABLE jwks_cache (
    jwks_uri    TEXT PRIMARY KEY,
    jwks_json   TEXT NOT NULL,
    fetched_at  INTEGER NOT NULL
);
