-- JAR (RFC 9101) and JARM per client: how the authorization request is signed ('off', 'value':
-- the request object in `request`, 'par': pushed as the request object, RFC 9126 §3), and the
-- response_mode asked for (NULL: the response type's default, query for code).
ALTER TABLE clients ADD COLUMN jar TEXT NOT NULL DEFAULT 'off';
ALTER TABLE clients ADD COLUMN response_mode TEXT;
