-- Rich authorization requests (RFC 9396, issue 15): a client's default `authorization_details`
-- and, on each grant, what was requested and what the server granted (JSON arrays; metadata,
-- not secrets).
ALTER TABLE clients ADD COLUMN authorization_details_json TEXT;
ALTER TABLE grants ADD COLUMN authorization_details_requested_json TEXT;
ALTER TABLE grants ADD COLUMN authorization_details_granted_json TEXT;
