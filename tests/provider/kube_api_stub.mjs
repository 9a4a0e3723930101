// A stand-in for a Kubernetes API server, for the kubectl exec plugin tests
// (tests/tests/handoff_kubectl.rs): TLS with a certificate from a private CA made at test time
// (tests/src/network.rs), and every request must carry `Authorization: Bearer <token>` with a
// token the test authorization server introspects as active (RFC 7662, as client `service`).
// Then GET /api answers 200 with an APIVersions object; anything else gets 401 and a
// Kubernetes `Status`, as a real API server answers an unauthenticated request.
//
// Usage: node kube_api_stub.mjs KEY.pem CERT.pem ISSUER; prints `READY https://127.0.0.1:PORT`.
// GET /__stats (no auth) answers {"accepted": [paths], "refused": [paths]}.
import fs from 'node:fs';
import https from 'node:https';

const [keyPath, certPath, issuer] = process.argv.slice(2);
const basic = `Basic ${Buffer.from('service:service-secret').toString('base64')}`;
const stats = { accepted: [], refused: [] };

async function active(token) {
  const res = await fetch(`${issuer}/token/introspection`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  if (res.status !== 200) return false;
  const body = await res.json();
  return body.active === true;
}

const server = https.createServer({ key: fs.readFileSync(keyPath), cert: fs.readFileSync(certPath) }, async (req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  req.resume();
  const path = req.url.split('?')[0];
  if (path === '/__stats') return send(200, stats);
  const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
  let ok = false;
  try {
    ok = match !== null && (await active(match[1]));
  } catch (e) {
    console.error(`introspection failed: ${e}`);
  }
  if (!ok) {
    stats.refused.push(path);
    return send(401, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Unauthorized', reason: 'Unauthorized', code: 401,
    });
  }
  stats.accepted.push(path);
  if (path === '/api') {
    return send(200, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${server.address().port}` }],
    });
  }
  if (path === '/version') {
    return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
  }
  send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404 });
});
server.listen(0, '127.0.0.1', () => console.log(`READY https://127.0.0.1:${server.address().port}`));
