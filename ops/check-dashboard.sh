#!/usr/bin/env bash
# Checks Grafana dashboards (ops/grafana/*.json) and lists or runs every panel query.
#
#   ops/check-dashboard.sh [--list] DASHBOARD.json...
#       Lints each dashboard (schemaVersion, the DS_PROMETHEUS datasource variable, the job and analyzer variables,
#       unique panel ids, every target with an expr and a datasource from the variable) and with --list prints every
#       query, one per line: <panel title> TAB <refId> TAB <expr with the variables filled in>.
#   ops/check-dashboard.sh --prometheus http://127.0.0.1:9090 [--job NAME] [--wait SECONDS] DASHBOARD.json...
#       Also runs each query, and each variable's label_values() as a query, against that Prometheus (instant
#       queries over HTTP), polling for up to --wait seconds (default 0: once) until every one returns at least one
#       series. A query that Prometheus refuses fails at once. Panels whose description starts with "Kafka mode
#       only" may return nothing (they are reported as skipped when empty).
#
# Variables are filled in as Grafana would with everything selected: $job (and ${job}) with --job (default
# log-distributor), $analyzer with .*, $__rate_interval with 1m. Needs python3 (standard library only).
# Exit status 0 when every check passes, 1 otherwise.
set -euo pipefail
command -v python3 >/dev/null 2>&1 || { echo "check-dashboard: needs python3" >&2; exit 1; }
exec python3 - "$@" <<'PY'
import json, re, sys, time, urllib.error, urllib.parse, urllib.request

args = sys.argv[1:]
prom, job, wait, listing, files = None, "log-distributor", 0.0, False, []
while args:
    a = args.pop(0)
    if a == "--prometheus": prom = args.pop(0).rstrip("/")
    elif a == "--job": job = args.pop(0)
    elif a == "--wait": wait = float(args.pop(0))
    elif a == "--list": listing = True
    elif a.startswith("-"): sys.exit(f"check-dashboard: unknown option {a}")
    else: files.append(a)
if not files:
    sys.exit("usage: check-dashboard.sh [--list] [--prometheus URL [--job NAME] [--wait S]] DASHBOARD.json...")

KAFKA_ONLY = "Kafka mode only"
DS_UID = "${DS_PROMETHEUS}"

def fill(expr):
    for name, value in (("__rate_interval", "1m"), ("job", job), ("analyzer", ".*")):
        expr = expr.replace("${" + name + "}", value)
        expr = re.sub(r"\$" + name + r"\b", value, expr)
    if "$" in expr:
        raise ValueError(f"unknown variable left in {expr!r}")
    return expr

def walk(panels):
    for p in panels:
        yield p
        yield from walk(p.get("panels", []))   # panels inside collapsed rows

problems, queries = [], []   # queries: (where, expr, may_be_empty)
for f in files:
    try:
        d = json.load(open(f))
    except (OSError, ValueError) as e:
        problems.append(f"{f}: not readable JSON: {e}")
        continue
    if not 36 <= d.get("schemaVersion", 0) <= 41:
        problems.append(f"{f}: schemaVersion {d.get('schemaVersion')} (expected about 39)")
    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    ds = variables.get("DS_PROMETHEUS")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problems.append(f"{f}: no datasource variable DS_PROMETHEUS of type prometheus")
    for name in ("job", "analyzer"):
        v = variables.get(name)
        if not v or v.get("type") != "query":
            problems.append(f"{f}: no query variable {name}")
            continue
        q = v.get("query")
        q = q.get("query", "") if isinstance(q, dict) else (q or "")
        m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\)\s*", q)
        if not m:
            problems.append(f"{f}: variable {name}: expected label_values(selector, label), got {q!r}")
        else:
            queries.append((f"{f}: variable {name}", f"count by ({m.group(2)}) ({fill(m.group(1))})", False))
    ids = set()
    for p in walk(d.get("panels", [])):
        title = p.get("title", "?")
        if p.get("id") in ids:
            problems.append(f"{f}: panel {title!r}: id {p.get('id')} used twice")
        ids.add(p.get("id"))
        if p.get("type") == "row":
            continue
        if (p.get("datasource") or {}).get("uid") != DS_UID:
            problems.append(f"{f}: panel {title!r}: datasource is not {DS_UID}")
        targets = p.get("targets", [])
        if not targets:
            problems.append(f"{f}: panel {title!r}: no queries")
        for t in targets:
            if not t.get("expr"):
                problems.append(f"{f}: panel {title!r} query {t.get('refId')}: no expr")
                continue
            if (t.get("datasource") or {}).get("uid", DS_UID) != DS_UID:
                problems.append(f"{f}: panel {title!r} query {t.get('refId')}: datasource is not {DS_UID}")
            try:
                expr = fill(t["expr"])
            except ValueError as e:
                problems.append(f"{f}: panel {title!r}: {e}")
                continue
            kafka = (p.get("description") or "").startswith(KAFKA_ONLY)
            queries.append((f"{f}: panel {title!r} {t.get('refId')}", expr, kafka))
            if listing:
                print(f"{title}\t{t.get('refId')}\t{expr}")

for pr in problems:
    print(f"check-dashboard: {pr}")
if problems or not prom:
    if not problems:
        print(f"check-dashboard: {len(queries)} queries in {len(files)} dashboard(s), lint OK")
    sys.exit(1 if problems else 0)

def query(expr):
    url = f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    if body.get("status") != "success":
        raise ValueError(f"{body.get('errorType')}: {body.get('error')}")
    return body["data"]["result"]

deadline = time.monotonic() + wait
pending = list(queries)
while True:
    still = []
    for where, expr, may_be_empty in pending:
        try:
            result = query(expr)
        except (ValueError, OSError) as e:
            print(f"check-dashboard: FAIL {where}: Prometheus refuses {expr!r}: {e}")
            sys.exit(1)
        if result:
            print(f"check-dashboard: ok   {where}: {len(result)} series")
        elif may_be_empty:
            print(f"check-dashboard: skip {where}: empty ({KAFKA_ONLY})")
        else:
            still.append((where, expr, may_be_empty))
    if not still:
        break
    if time.monotonic() >= deadline:
        for where, expr, _ in still:
            print(f"check-dashboard: FAIL {where}: no data for {expr!r}")
        sys.exit(1)
    pending = still
    time.sleep(1)
print(f"check-dashboard: {len(queries)} queries in {len(files)} dashboard(s) answered by {prom}")
PY
