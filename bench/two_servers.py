#!/usr/bin/env python3
"""Two servers on one database (issue: one truth across servers): a write through server A, then the
time until server B's published figures show it. Prints the lag p50/p99 over N writes. On PostgreSQL
(--pg URL; the notice is NOTIFY) or a SQLite file (the server polls the change log every 200 ms).
Only 127.0.0.1; every wait bounded.

usage: two_servers.py BUILD_DIR [--pg postgresql://...] [--writes 200]
"""
import argparse, http.client, json, os, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--pg", default="")
ap.add_argument("--writes", type=int, default=200)
args = ap.parse_args()
BIN = os.path.join(args.build, "keyproject")
tmp = tempfile.mkdtemp(prefix="kp-two.")
db = args.pg or os.path.join(tmp, "two.db")
logins = os.path.join(tmp, "logins")
subprocess.run([BIN, "--db", db, "demo", "--reset", "--logins-out", logins], check=True, capture_output=True)
password = next(l.split("\t")[1] for l in open(logins) if l.startswith("admin\t"))


def start():
    p = subprocess.Popen([BIN, "--db", db, "serve", "--listen", "127.0.0.1:0", "--access-log", "off"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = p.stdout.readline()
        if "http://127.0.0.1:" in line:
            return p, int(line.split("http://127.0.0.1:")[1].split("/")[0])
    p.kill()
    sys.exit("server did not start")


def session(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/api/auth/login", json.dumps({"login": "admin", "password": password}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    body = json.loads(r.read())
    return c, {"Cookie": r.getheader("Set-Cookie").split(";")[0], "X-CSRF-Token": body["csrf_token"]}


(a, port_a), (b, port_b) = start(), start()
try:
    ca, ha = session(port_a)
    cb, hb = session(port_b)
    ca.request("GET", "/api/projects?page_size=1&year=2024&levels=%E7%9C%81%E9%87%8D%E7%82%B9", headers=ha)
    pid = json.loads(ca.getresponse().read())["items"][0]["id"]
    lags = []
    for i in range(args.writes):
        amount = f"{1000 + i}.5"
        ca.request("PUT", f"/api/projects/{pid}/reports/2024-03", json.dumps({"completed_wan": amount}),
                   {**ha, "Content-Type": "application/json"})
        r = ca.getresponse()
        r.read()
        assert r.status == 200, r.status
        acked = time.perf_counter()
        want = None
        ca.request("GET", "/api/stats?year=2024&month=3&levels=%E7%9C%81%E9%87%8D%E7%82%B9", headers=ha)
        want = json.loads(ca.getresponse().read())["total"]["completed_wan"]
        deadline = acked + 10
        while time.perf_counter() < deadline:
            cb.request("GET", "/api/stats?year=2024&month=3&levels=%E7%9C%81%E9%87%8D%E7%82%B9", headers=hb)
            if json.loads(cb.getresponse().read())["total"]["completed_wan"] == want:
                break
            time.sleep(0.002)
        lags.append(time.perf_counter() - acked)
    lags.sort()
    q = lambda p: lags[min(len(lags) - 1, int(p * len(lags)))] * 1000
    print(f"two servers on {'PostgreSQL (NOTIFY)' if args.pg else 'SQLite (change-log poll, 200 ms)'}: "
          f"{len(lags)} writes through A; B shows each after p50 {q(.5):.1f} ms, p99 {q(.99):.1f} ms, "
          f"max {lags[-1] * 1000:.1f} ms (target: within 1 s)")
finally:
    for p in (a, b):
        p.terminate()
        p.wait(timeout=30)
