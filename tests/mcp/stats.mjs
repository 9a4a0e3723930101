// Request counts per route for the tests (GET /__test/stats): did a client send a token before
// the 401, which Authorization scheme did it use.

const MAX_ROUTES = 200;
const MAX_PATH = 200;

export class Stats {
  constructor() {
    this.reset();
  }

  reset() {
    this.routes = new Map();
  }

  // `req` is a node IncomingMessage; counted before any routing, so 404s count too (the
  // /__test/ routes themselves are not counted).
  count(req) {
    let path = String(req.url ?? '/').split('?')[0].slice(0, MAX_PATH);
    if (path.startsWith('/__test/')) return;
    if (!this.routes.has(path) && this.routes.size >= MAX_ROUTES) path = '(other)';
    const entry = this.routes.get(path)
      ?? { requests: 0, with_authorization: 0, without_authorization: 0, last_scheme: null, methods: {} };
    entry.requests += 1;
    const method = String(req.method ?? '').slice(0, 16);
    entry.methods[method] = (entry.methods[method] ?? 0) + 1;
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.length > 0) {
      entry.with_authorization += 1;
      entry.last_scheme = auth.split(' ')[0].slice(0, 32);
    } else {
      entry.without_authorization += 1;
    }
    this.routes.set(path, entry);
  }

  snapshot() {
    return { routes: Object.fromEntries(this.routes) };
  }
}
