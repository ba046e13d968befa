#!/usr/bin/env python3
"""A local group-robot receiver for the reminder tests: never the internet.

    webhook_receiver.py PORT_FILE LOG_FILE SECRET FAIL_FIRST

Listens on 127.0.0.1 (a free port, written to PORT_FILE), answers the first FAIL_FIRST posts with
HTTP 500 and the rest with DingTalk's {"errcode":0}, and appends one JSON line per post to
LOG_FILE: path, body, status, and whether DingTalk's signature (timestamp and sign in the query)
checks out against SECRET, computed here independently of the product.
"""
import base64, hashlib, hmac, json, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

port_file, log_file, secret, fail_first = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
seen = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        sign_ok = False
        if "timestamp" in query and "sign" in query:
            ts = query["timestamp"][0]
            mac = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
            sign_ok = hmac.compare_digest(base64.b64encode(mac).decode(), query["sign"][0])
        seen += 1
        status = 500 if seen <= fail_first else 200
        with open(log_file, "a", encoding="utf-8") as f:
            f.write(json.dumps({"path": self.path, "body": body, "status": status, "sign_ok": sign_ok},
                               ensure_ascii=False) + "\n")
        answer = json.dumps({"errcode": 0 if status == 200 else 1}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
