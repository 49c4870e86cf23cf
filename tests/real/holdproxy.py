#!/usr/bin/env python3
"""A reverse proxy on 127.0.0.1 in front of one real test server, for tests/real/tactful_test.sh.

Every request is forwarded to --target and logged ("METHOD PATH" a line, in --log), so a test
can count what tactful asked of the server (createSession, for one). A request whose
"METHOD PATH" contains the text of the file --arm (when that file exists) is forwarded and
answered by the server, but its answer is held back: the proxy removes --arm, writes --held,
and waits (at most 300 s) until the client goes away, so that the test can kill -9 tactful
between the request reaching the server and the answer reaching tactful.

  usage: holdproxy.py --target http://127.0.0.1:8080 --port-file F --log F --arm F --held F
The proxy exits when the folder of --port-file disappears or after --max-seconds.
"""
import argparse
import http.client
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
       "upgrade", "content-length", "host", "expect"}
LOCK = threading.Lock()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--arm", required=True)
    ap.add_argument("--held", required=True)
    ap.add_argument("--max-seconds", type=float, default=3600)
    args = ap.parse_args()
    target = urllib.parse.urlsplit(args.target)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):
            pass

        def relay(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else None
            what = "%s %s" % (self.command, self.path)
            with LOCK:
                with open(args.log, "a") as f:
                    f.write(what + "\n")
                hold = False
                try:
                    with open(args.arm) as f:
                        hold = f.read().strip() in what
                    if hold:
                        os.remove(args.arm)
                except FileNotFoundError:
                    pass
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            headers["Host"] = target.netloc
            conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=120)
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            conn.close()
            if hold:
                with open(args.held, "w") as f:
                    f.write(what + "\n")
                # The server has done it; the answer never comes. Wait for the client to go.
                self.connection.settimeout(1)
                end = time.time() + 300
                while time.time() < end:
                    try:
                        if self.connection.recv(1) == b"":
                            break
                    except OSError as e:
                        if not isinstance(e, TimeoutError) and "timed out" not in str(e):
                            break
                self.close_connection = True
                return
            self.send_response(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() not in HOP:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = relay

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    end = time.time() + args.max_seconds
    while time.time() < end and os.path.isdir(os.path.dirname(args.port_file) or "."):
        time.sleep(0.5)
    sys.exit(0)


if __name__ == "__main__":
    main()
