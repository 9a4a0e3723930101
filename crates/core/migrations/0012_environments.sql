-- Environments (dev / staging / prod): named sets of variables used as {{name}} in client
-- endpoints, client parameters and Call API requests. A secret variable's value is in the
-- keychain (item `envvar/<variable id>`, named by secret_ref); its row never holds the value.
CREATE TABLE environments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE environment_variables (
    id TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT,
    secret_ref TEXT,
    updated_at INTEGER NOT NULL,
    UNIQUE (environment_id, name),
    -- Exactly one of the two: a plain value here, or a secret in the keychain.
    CHECK ((value IS NULL) != (secret_ref IS NULL))
);

-- The environment a grant of a client with variables was obtained in: its tokens are used only
-- against that environment's servers (a dev refresh token is never sent to prod).
CREATE TABLE grant_environments (
    grant_id TEXT PRIMARY KEY REFERENCES grants(id) ON DELETE CASCADE,
    environment_id TEXT NOT NULL,
    environment_name TEXT NOT NULL
);

-- Discovery of a client whose issuer is a template ({{issuer}}), per issuer it resolved to:
-- its endpoints differ per environment, so they are not stored on the client.
CREATE TABLE client_discovery (
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    metadata TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, issuer)
);
