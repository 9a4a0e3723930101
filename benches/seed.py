"""A store at scale for scripts/bench and scripts/measure-gui (issue 16).

    python3 benches/seed.py CLI HOME CLIENTS GRANTS

The first client is added with `oauthdesk client add` (which also creates the database and runs
every migration of the build under test); the other clients are copies of its row, and the
grants are direct SQLite inserts using only columns that exist since migrations 0001-0015 (every
later column takes its default). Grant i belongs to client i % CLIENTS; grant 0 is the newest
(issued now), grant GRANTS-1 the oldest (one minute apart). Every 10th grant is revoked; grants
with i % 7 == 3 were granted the extra scope `profile` (over-privileged: the filter in the GUI
measurement types it).
"""
import json, os, sqlite3, subprocess, sys, time

FILTER_SCOPE = "profile"


def grant_id(i):
    return f"00000000-0000-4000-8000-{i:012d}"


def client_name(i, n_clients):
    return f"client-{i + 1:0{max(1, len(str(n_clients)))}d}"


def seed(cli, home, n_clients=5, n_grants=0):
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, OAUTHDESK_HOME=home)
    subprocess.run([cli, "client", "add", client_name(0, n_clients), "--client-id", "app-1",
                    "--authorization-endpoint", "https://login.example.com/authorize",
                    "--token-endpoint", "https://login.example.com/token", "--scope", "openid email"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(f"{home}/oauthdesk.db")
    db.row_factory = sqlite3.Row
    first = dict(db.execute("SELECT * FROM clients").fetchone())
    cols = list(first)
    ids = [first["id"]]
    rows = []
    for i in range(1, n_clients):
        row = dict(first, id=f"10000000-0000-4000-8000-{i:012d}", name=client_name(i, n_clients), client_id=f"app-{i + 1}")
        ids.append(row["id"])
        rows.append([row[c] for c in cols])
    if rows:
        db.executemany(f"INSERT INTO clients ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
    now = int(time.time())
    batch = []
    sql = ("INSERT INTO grants (id, client_id, grant_type, status, secret_ref, scopes_requested, scopes_granted, "
           "token_type, has_access_token, has_refresh_token, has_id_token, expires_at, issued_at, refreshed_at, "
           "last_used_at, refresh_count, subject, claims_json, deviations_json, revoked_at) "
           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    for i in range(n_grants):
        gid, issued = grant_id(i), now - 60 * i
        c = i % n_clients
        claims = json.dumps({"sub": f"user{i % 97}", "iss": "https://login.example.com", "aud": f"app-{c + 1}",
                             "iat": issued, "exp": issued + 3600})
        granted = "openid email profile" if i % 7 == 3 else "openid email"
        batch.append((gid, ids[c], ["authorization_code", "device_code", "client_credentials"][i % 3],
                      "active" if i % 10 else "revoked", f"grant/{gid}", "openid email", granted,
                      "Bearer", 1, 1, 1, issued + 3600, issued, None, None, 0, f"user{i % 97}", claims, "[]",
                      None if i % 10 else issued + 30))
        if len(batch) == 10000:
            db.executemany(sql, batch); batch.clear()
    if batch:
        db.executemany(sql, batch)
    db.commit()
    db.close()
    return home


if __name__ == "__main__":
    cli, home, n_clients, n_grants = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    t0 = time.monotonic()
    seed(cli, home, n_clients, n_grants)
    print(f"seeded {home}: {n_clients} clients, {n_grants} grants in {time.monotonic() - t0:.1f} s", file=sys.stderr)
