-- Mutual TLS (RFC 8705): a client's TLS certificate chain (PEM, public). Its private key is the
-- keychain item `tls/<client id>`; SQLite never holds it.
ALTER TABLE clients ADD COLUMN tls_cert_pem TEXT;
