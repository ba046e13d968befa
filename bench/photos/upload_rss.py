#!/usr/bin/env python3
"""Server memory over many photo uploads: `keyproject serve` on a fresh demo SQLite database, N uploads
of different photos (one base JPEG made by kp_bench_photos --write-jpeg, a counter in a comment segment
so each is new content) through POST /api/photos, the server's RSS (VmRSS, /proc) read before, every
100 uploads and after. Only 127.0.0.1; every wait bounded; the temporary folder is removed.

usage: upload_rss.py BUILD_DIR [--uploads 1000] [--width 2016 --height 1512]
"""
import argparse, http.client, json, os, shutil, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--uploads", type=int, default=1000)
ap.add_argument("--width", type=int, default=2016)
ap.add_argument("--height", type=int, default=1512)
args = ap.parse_args()
BIN = os.path.join(args.build, "keyproject")
tmp = tempfile.mkdtemp(prefix="kp-photo-rss.")
db = os.path.join(tmp, "rss.db")
logins = os.path.join(tmp, "logins")
base = os.path.join(tmp, "base.jpg")
subprocess.run([os.path.join(args.build, "kp_bench_photos"), "--write-jpeg", base, "--width", str(args.width),
                "--height", str(args.height), "--quality", "90"], check=True, capture_output=True)
jpeg = open(base, "rb").read()
subprocess.run([BIN, "--db", db, "demo", "--reset", "--logins-out", logins], check=True, capture_output=True)
password = next(l.split("\t")[1] for l in open(logins) if l.startswith("admin\t"))


def variant(n):
    text = f"kp-rss-{n}".encode()
    seg = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return jpeg[:2] + seg + jpeg[2:]


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


p = subprocess.Popen([BIN, "--db", db, "serve", "--listen", "127.0.0.1:0", "--access-log", "off", "--no-reminders"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    port = None
    deadline = time.time() + 60
    while time.time() < deadline and port is None:
        line = p.stdout.readline()
        if "http://127.0.0.1:" in line:
            port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    if port is None:
        sys.exit("server did not start")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/api/auth/login", json.dumps({"login": "admin", "password": password}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    h = {"Cookie": r.getheader("Set-Cookie").split(";")[0], "X-CSRF-Token": json.loads(r.read())["csrf_token"]}

    def call(method, path, body=None, ctype="application/json"):
        c.request(method, path, body, {**h, "Content-Type": ctype})
        r = c.getresponse()
        data = r.read()
        return r.status, data

    status, _ = call("PUT", "/api/photo-limits", json.dumps({"photo_max_per_item": 500}))
    assert status == 200, status
    pid = json.loads(call("GET", "/api/projects?page_size=1")[1])["items"][0]["id"]
    nodes = json.loads(call("GET", f"/api/projects/{pid}/nodes")[1])["items"]
    # One warm-up upload (libvips starts, the allocator takes its arenas), then the baseline.
    status, body = call("POST", f"/api/photos?project_id={pid}&kind=node&ref={nodes[0]['id']}", variant(-1), "image/jpeg")
    assert status == 201, (status, body[:200])
    before = rss_kib(p.pid)
    samples = [(0, before)]
    t0 = time.perf_counter()
    for i in range(args.uploads):
        node = nodes[(i // 400) % len(nodes)]["id"]
        status, body = call("POST", f"/api/photos?project_id={pid}&kind=node&ref={node}", variant(i), "image/jpeg")
        assert status == 201, (i, status, body[:200])
        if (i + 1) % 100 == 0:
            samples.append((i + 1, rss_kib(p.pid)))
    elapsed = time.perf_counter() - t0
    after = rss_kib(p.pid)
    print(f"{args.uploads} uploads of a {len(jpeg) / 1048576:.2f} MiB {args.width}x{args.height} JPEG "
          f"(each new content) in {elapsed:.1f} s ({elapsed / args.uploads * 1000:.0f} ms each, HTTP included)")
    print("uploads  VmRSS (MiB)")
    for n, kib in samples:
        print(f"{n:7d}  {kib / 1024:.1f}")
    print(f"RSS before {before / 1024:.1f} MiB, after {after / 1024:.1f} MiB, growth {(after - before) / 1024:+.1f} MiB")
finally:
    p.terminate()
    p.wait(timeout=30)
    shutil.rmtree(tmp, ignore_errors=True)
