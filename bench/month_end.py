#!/usr/bin/env python3
"""Month-end at a county (issue: sign-in never stalls the server): N owners sign in and submit their
monthly report within about a minute while a prober times GET /healthz. Prints sign-ins/s, report PUT
p50/p99 and /healthz p50/p99. Only 127.0.0.1; every wait bounded.

usage: month_end.py BUILD_DIR [--owners 2000] [--clients 48] [--threads 2]
"""
import argparse, http.client, json, os, sqlite3, statistics, subprocess, sys, tempfile, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--owners", type=int, default=2000)
ap.add_argument("--clients", type=int, default=48)
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()
BIN = os.path.join(args.build, "keyproject")
tmp = tempfile.mkdtemp(prefix="kp-month-end.")
db = os.path.join(tmp, "m.db")
subprocess.run([BIN, "--db", db, "demo", "--logins-out", os.path.join(tmp, "logins")], check=True, capture_output=True)

# One real argon2id hash (made by the product), shared by N owner users inserted directly: making
# 2,000 hashes one by one would take minutes and measures nothing the month end does.
PASSWORD = "Owner#2024pass"
con = sqlite3.connect(db)
owners = [r[0] for r in con.execute("SELECT DISTINCT owner FROM projects p WHERE deleted = 0 AND owner <> '' AND "
                                    "EXISTS (SELECT 1 FROM annual_plans a WHERE a.project_id = p.id AND a.year = 2024)")]
con.close()
subprocess.run([BIN, "--db", db, "user", "add", "seed", "--role", "owner", "--unit", owners[0], "--password-stdin"],
               input=PASSWORD.encode(), check=True, capture_output=True)
con = sqlite3.connect(db)
hash_ = con.execute("SELECT password_hash FROM users WHERE login = 'seed'").fetchone()[0]
now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
con.executemany("INSERT INTO users (login, display_name, role, unit, password_hash, must_change_password, disabled, "
                "failed_attempts, locked_until, created_at, updated_at) VALUES (?, ?, 'owner', ?, ?, 0, 0, 0, 0, ?, ?)",
                [(f"o{i}", f"业主{i}", owners[i % len(owners)], hash_, now, now) for i in range(args.owners)])
con.commit()
con.close()

server = subprocess.Popen([BIN, "--db", db, "serve", "--listen", "127.0.0.1:0", "--threads", str(args.threads)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = None
deadline = time.time() + 60
while time.time() < deadline and port is None:
    line = server.stdout.readline()
    if "http://127.0.0.1:" in line:
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
if port is None:
    server.kill()
    sys.exit("server did not start")


def call(conn, method, path, body=None, headers=None):
    h = {"Content-Type": "application/json"} if body is not None else {}
    h.update(headers or {})
    t0 = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = conn.getresponse()
    data = r.read()
    return r.status, data, r.getheader("Set-Cookie"), time.perf_counter() - t0


stop = threading.Event()
health = []


def prober():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while not stop.is_set():
        st, _, _, dt = call(conn, "GET", "/healthz")
        health.append(dt)
        time.sleep(0.02)


lock = threading.Lock()
next_owner = [0]
signins, puts, errors = [], [], []


def owner_worker():
    while True:
        with lock:
            i = next_owner[0]
            next_owner[0] += 1
        if i >= args.owners:
            return
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        st, data, cookie, dt = call(conn, "POST", "/api/auth/login", {"login": f"o{i}", "password": PASSWORD})
        if st != 200:
            errors.append(("login", st))
            continue
        signins.append(dt)
        csrf = json.loads(data)["csrf_token"]
        hdr = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": csrf}
        st, data, _, _ = call(conn, "GET", "/api/projects?page_size=1&year=2024", headers=hdr)
        items = json.loads(data)["items"] if st == 200 else []
        if not items:
            errors.append(("list", st))
            continue
        st, _, _, dt = call(conn, "PUT", f"/api/projects/{items[0]['id']}/reports/2024-04",
                            {"completed_wan": str(i % 997 + 0.5)}, hdr)
        (puts if st == 200 else errors).append(dt if st == 200 else ("put", st))


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else float("nan")


pt = threading.Thread(target=prober)
pt.start()
time.sleep(1)
idle_health = list(health)
t0 = time.time()
workers = [threading.Thread(target=owner_worker) for _ in range(args.clients)]
for w in workers:
    w.start()
for w in workers:
    w.join(timeout=600)
elapsed = time.time() - t0
stop.set()
pt.join()
server.terminate()
server.wait(timeout=30)
storm = health[len(idle_health):]
print(f"month end: {args.owners} owners, {args.clients} clients, server --threads {args.threads} "
      f"(+2 hashing threads), {os.cpu_count()} cores shared with the clients")
print(f"  done in {elapsed:.1f} s; sign-ins {len(signins) / elapsed:.1f}/s; errors {len(errors)} {errors[:3]}")
print(f"  sign-in latency p50 {pct(signins, .5):.0f} ms, p99 {pct(signins, .99):.0f} ms")
print(f"  report PUT p50 {pct(puts, .5):.1f} ms, p99 {pct(puts, .99):.1f} ms ({len(puts)} PUTs)")
print(f"  /healthz during the storm p50 {pct(storm, .5):.1f} ms, p99 {pct(storm, .99):.1f} ms ({len(storm)} probes); "
      f"idle before p50 {pct(idle_health, .5):.1f} ms")
print(f"  target /healthz p99 < 50 ms: {'MET' if pct(storm, .99) < 50 else 'MISSED'}")
