"""The one Markdown table that scripts/bench and scripts/measure-gui print, its JSON, and the
regression check of `scripts/bench --check` (issue 16).

A row: key (stable id, for the check), measurement, ours, floor (what, figure), ratio (a number,
ours / floor, or None), goal, met (True, False or None when the row has no goal).

    python3 benches/table.py check NEW.json OLD.json   # exit 1 when a ratio regressed > 10 %
"""
import json, sys, time

TOLERANCE = 0.10


def row(key, measurement, ours, floor="—", ratio=None, goal="(context)", met=None):
    return {"key": key, "measurement": measurement, "ours": ours, "floor": floor,
            "ratio": None if ratio is None else round(ratio, 4), "goal": goal, "met": met}


def ms(x):
    return f"{x:.0f} ms" if x >= 10 else f"{x:.1f} ms"


def mb(x):
    return f"{x:.0f} MB" if x >= 10 else f"{x:.1f} MB"


def render(rows):
    met = {True: "yes", False: "**no**", None: "—"}
    lines = ["| measurement | ours | floor (what, figure) | ratio | goal | met? |", "|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        lines.append(f"| {r['measurement']} | {r['ours']} | {r['floor']} | {ratio} | {r['goal']} | {met[r['met']]} |")
    return "\n".join(lines)


def save(path, script, rows, **extra):
    with open(path, "w") as f:
        json.dump({"script": script, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rows": rows, **extra}, f, indent=1)


def regressions(new_rows, old_path):
    """The rows whose ratio grew by more than TOLERANCE against the same key in old_path."""
    old = {r["key"]: r for r in json.load(open(old_path))["rows"]}
    found = []
    for r in new_rows:
        o = old.get(r["key"])
        if o is None or r["ratio"] is None or not o.get("ratio"):
            continue
        change = r["ratio"] / o["ratio"] - 1
        if change > TOLERANCE:
            found.append(f"{r['measurement']}: {o['ratio']:.2f}× -> {r['ratio']:.2f}× (+{change * 100:.0f} %)")
    return found


def check(new_rows, old_path, out=sys.stderr):
    found = regressions(new_rows, old_path)
    if found:
        print(f"REGRESSED by more than {TOLERANCE * 100:.0f} % against {old_path}:", file=out)
        for f in found:
            print(f"  {f}", file=out)
        return 1
    print(f"no ratio regressed by more than {TOLERANCE * 100:.0f} % against {old_path}", file=out)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "check":
        raise SystemExit(__doc__)
    sys.exit(check(json.load(open(sys.argv[2]))["rows"], sys.argv[3]))
