-- OAuth Desk's store. Metadata only: every token and client secret lives in the OS keychain,
-- referenced here by `secret_ref`.
CREATE TABLE clients (
    id                             TEXT PRIMARY KEY,
    name                           TEXT NOT NULL UNIQUE,
    client_id                      TEXT NOT NULL,
    issuer                         TEXT,
    authorization_endpoint         TEXT,
    token_endpoint                 TEXT,
    revocation_endpoint            TEXT,
    introspection_endpoint         TEXT,
    userinfo_endpoint              TEXT,
    device_authorization_endpoint  TEXT,
    metadata_json                  TEXT,
    auth_method                    TEXT NOT NULL,
    scopes                         TEXT NOT NULL DEFAULT '',
    redirect_uri                   TEXT NOT NULL,
    extra_params_json              TEXT NOT NULL DEFAULT '[]',
    pkce                           INTEGER NOT NULL DEFAULT 1,
    insecure                       INTEGER NOT NULL DEFAULT 0,
    secret_ref                     TEXT,
    created_at                     INTEGER NOT NULL,
    updated_at                     INTEGER NOT NULL
);

CREATE TABLE grants (
    id                 TEXT PRIMARY KEY,
    client_id          TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    grant_type         TEXT NOT NULL,
    status             TEXT NOT NULL,
    secret_ref         TEXT NOT NULL,
    scopes_requested   TEXT NOT NULL,
    scopes_granted     TEXT,
    token_type         TEXT NOT NULL,
    has_access_token   INTEGER NOT NULL,
    has_refresh_token  INTEGER NOT NULL,
    has_id_token       INTEGER NOT NULL,
    expires_at         INTEGER,
    issued_at          INTEGER NOT NULL,
    refreshed_at       INTEGER,
    last_used_at       INTEGER,
    refresh_count      INTEGER NOT NULL DEFAULT 0,
    subject            TEXT,
    claims_json        TEXT,
    deviations_json    TEXT NOT NULL DEFAULT '[]',
    revoked_at         INTEGER
);
CREATE INDEX grants_by_client ON grants(client_id, issued_at);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    client_id  TEXT REFERENCES clients(id) ON DELETE CASCADE,
    grant_id   TEXT,
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_client ON events(client_id, at);

CREATE TABLE transcripts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_id        TEXT NOT NULL,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    grant_id       TEXT,
    operation      TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    exchange_json  TEXT NOT NULL,
    at             INTEGER NOT NULL
);
CREATE INDEX transcripts_by_client ON transcripts(client_id, id);
