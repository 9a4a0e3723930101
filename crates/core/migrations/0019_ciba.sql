-- CIBA (issue 15): a client's backchannel token delivery mode ('poll' or 'ping', CIBA §5) and,
-- for ping mode, its client notification endpoint (a loopback URL with a fixed port, as
-- registered at the server as backchannel_client_notification_endpoint) with the endpoint's TLS
-- certificate chain (PEM, public). The certificate's private key is the keychain item
-- `ciba-tls/<client id>`; SQLite never holds it.
CREATE TABLE client_ciba (
    client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    delivery_mode TEXT NOT NULL DEFAULT 'poll',
    notification_endpoint TEXT,
    tls_cert_pem TEXT,
    updated_at INTEGER NOT NULL
);
