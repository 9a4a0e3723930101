-- Handing tokens to other tools (git, docker, kubectl, exec, curl, header).
-- Who the access token was last handed to ("git for github.com"), shown as "last used by".
ALTER TABLE grants ADD COLUMN last_used_by TEXT;
-- A tool said the access token was refused (git/docker `erase`): the next handoff refreshes
-- even before the expiry. Cleared by the next write of new tokens (a refresh).
ALTER TABLE grants ADD COLUMN token_rejected_at INTEGER;
