-- The audit and `grants` list every grant newest first (issued_at DESC, rowid DESC); the Tokens
-- screen by latest activity. Both walk an index instead of sorting 100 000 rows first.
CREATE INDEX grants_by_issue ON grants(issued_at);
CREATE INDEX grants_by_activity ON grants(COALESCE(refreshed_at, issued_at));
