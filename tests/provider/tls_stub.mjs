// A minimal authorization server over TLS with a certificate from a private CA made at test time
// (tests/src/network.rs): discovery, an empty JWKS and a client_credentials token endpoint.
// Usage: node tls_stub.mjs KEY.pem CERT.pem; prints `READY https://127.0.0.1:PORT`.
import fs from 'node:fs';
import https from 'node:https';

const [keyPath, certPath] = process.argv.slice(2);
const server = https.createServer({ key: fs.readFileSync(keyPath), cert: fs.readFileSync(certPath) }, (req, res) => {
  const base = `https://127.0.0.1:${server.address().port}`;
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url.startsWith('/.well-known/')) {
    return send(200, {
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
  }
  if (req.url === '/jwks') return send(200, { keys: [] });
  if (req.url === '/token' && req.method === 'POST') {
    req.resume();
    req.on('end', () => send(200, { access_token: `stub-${Date.now()}`, token_type: 'Bearer', expires_in: 3600 }));
    return;
  }
  send(404, { error: 'not_found' });
});
server.listen(0, '127.0.0.1', () => console.log(`READY https://127.0.0.1:${server.address().port}`));
