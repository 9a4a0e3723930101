"""scripts/bench's table: reads hyperfine's JSON and the peak-RSS files in OUT, prints the table,
saves OUT/bench.md and OUT/last.json (the previous last.json becomes previous.json) and, given a
check (a file, or "previous"), exits 1 when a ratio regressed by more than 10 %.

    python3 benches/bench_report.py OUT GRANTS CLIENTS [CHECK]
"""
import json, os, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from table import check, mb, ms, render, row, save  # noqa: E402

out, grants, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
want_check = sys.argv[4] if len(sys.argv) > 4 else ""


def medians(f):
    return {r["command"]: r["median"] * 1000 for r in json.load(open(f"{out}/{f}"))["results"]}


def rss(name):
    return statistics.median(int(x) for x in open(f"{out}/rss-{name}.txt").read().split()) / 1024


t, l, s = medians("token.json"), medians("login.json"), medians("store.json")
tok, st, login, curl, curl_store = t["oauthdesk token"], t["secret-tool"], l["oauthdesk login (client_credentials)"], l["curl"], l["curl + secret-tool store"]
rows = [
    row("token", "`oauthdesk token` (cached)", ms(tok), f"`secret-tool lookup` {ms(st)}", tok / st, "≤ 2×", tok / st <= 2),
    row("login", "`oauthdesk login --grant client_credentials`", ms(login), f"curl POST {ms(curl)}", login / curl, "≤ 1.3×", login / curl <= 1.3),
    row("login-store", "same login", ms(login), f"curl POST piped into `secret-tool store` {ms(curl_store)}", login / curl_store),
]
def spaced(n):
    return f"{n:,}".replace(",", " ")


k = f"{grants // 1000}k" if grants % 1000 == 0 else str(grants)
sq, sq_rss = s["sqlite3"], rss("sqlite3")
for name, label in [("grants-json", "`grants --json`"), ("audit-json", "`audit --json`"),
                    ("audit-csv", "`audit --csv`"), ("audit-markdown", "`audit --markdown`")]:
    ours = s[name]
    rows.append(row(f"{name}@{grants}", f"{label}, {spaced(grants)} grants / {spaced(clients)} clients", ms(ours), f"`sqlite3 -json` same rows {ms(sq)}",
                    ours / sq, "≤ 2×", ours / sq <= 2))
for name, label in [("grants-json", "`grants --json`"), ("audit-json", "`audit --json`"),
                    ("audit-csv", "`audit --csv`"), ("audit-markdown", "`audit --markdown`")]:
    m = rss(name)
    rows.append(row(f"{name}-rss@{grants}", f"{label}, {k} grants: peak RSS", mb(m), f"`sqlite3 -json` {mb(sq_rss)}", m / sq_rss, "≤ 64 MB", m <= 64))

text = render(rows)
print()
print(text)
open(f"{out}/bench.md", "w").write(text + "\n")
last, previous = f"{out}/last.json", f"{out}/previous.json"
against = previous if want_check in ("", "previous") or os.path.realpath(want_check) == os.path.realpath(last) else want_check
if os.path.exists(last):
    os.replace(last, previous)
save(last, "bench", rows, grants=grants, clients=clients, medians_ms={**t, **l, **s})
if want_check:
    if not os.path.exists(against):
        print(f"--check: no earlier run to compare with ({against}); this run is saved as {last}", file=sys.stderr)
        sys.exit(0)
    sys.exit(check(rows, against))
