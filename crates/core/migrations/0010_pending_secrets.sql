-- Keychain items being created, noted before the keychain write and removed once their row is
-- committed. An entry left behind means the process was killed (SIGKILL cannot be caught)
-- between the two writes; the next start deletes such an item if no row names it.
CREATE TABLE pending_secrets (
    key TEXT PRIMARY KEY,
    at INTEGER NOT NULL
);
