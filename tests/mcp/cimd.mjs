// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document) over HTTPS, for
// the test oidc-provider's clientIdMetadataDocument feature. Served on a second, TLS port when
// CIMD_CERT/CIMD_KEY are given (the client_id must be an https: URL).
//
//   POST B/__test/cimd {metadata}  → 201 {"client_id": "https://127.0.0.1:<tls>/cimd/<n>.json"}
//     stores a document at a new URL (a new one each time: oidc-provider caches a fetched
//     document for at least 30 s). `client_id` is set to that URL unless the body has its own
//     (to test a document whose client_id does not match its URL).
//   GET https://127.0.0.1:<tls>/cimd/<n>.json → the document (application/json)
//   GET https://127.0.0.1:<tls>/client-metadata.json → a default public native client
//     (redirect URIs http://127.0.0.1/callback and http://localhost/callback).

const MAX_DOCUMENTS = 100;

export function cimdRoutes({ app, tls, documents, cimdBase, stats }) {
  const defaultUrl = `${cimdBase}/client-metadata.json`;
  documents.set('/client-metadata.json', {
    client_id: defaultUrl,
    client_name: 'OAuth Desk test client (CIMD)',
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  });
  let next = 1;
  app.post('/__test/cimd', (req, res) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return res.status(400).json({ error: 'the body must be a JSON object of client metadata' });
    }
    if (documents.size >= MAX_DOCUMENTS) return res.status(507).json({ error: 'too many documents' });
    const path = `/cimd/${next}.json`;
    next += 1;
    const url = `${cimdBase}${path}`;
    documents.set(path, { ...body, client_id: body.client_id ?? url });
    res.status(201).json({ client_id: url });
  });
  tls.on('request', (req, res) => {
    stats.count(req);
    const path = String(req.url ?? '/').split('?')[0];
    const doc = req.method === 'GET' ? documents.get(path) : undefined;
    if (!doc) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
}
