-- Registry hosts the docker credential helper (`docker-credential-oauthdesk`) answers for, each
-- mapped to the client whose current access token it hands to docker. `host` is normalised
-- (`desk/docker_hosts.rs`, `normalize_registry_host`): lowercase host[:port], no scheme, no path.
-- No token is ever stored here: the helper asks for a fresh one on every `get`.
CREATE TABLE docker_hosts (
    host TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
