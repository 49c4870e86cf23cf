#!/usr/bin/env python3
"""Writes seed inputs for fuzz_mastodon, fuzz_bluesky and fuzz_wordpress from the answers of
the fake server (tests/fake/server.py): it runs `tactful sync` against a tenant of each
platform, then asks the server again for every request the sync made and writes the answers
in the fuzzers' input form (tests/fuzz/fuzz_net.h).

Usage: capture_seeds.py TACTFUL OUTDIR   (writes OUTDIR/{mastodon,bluesky,wordpress}/...)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "..", "fake", "server.py")
TENANTS = {
    "m": {"platform": "mastodon", "threads": 3, "replies": 3, "evil": True},
    "b": {"platform": "bluesky", "threads": 3, "replies": 3, "evil": True},
    "w": {"platform": "wordpress", "posts": 3, "comments": 3, "evil": True},
    "wp": {"platform": "wordpress", "posts": 1, "comments": 2, "pretty": False},
    "mx": {"platform": "mastodon", "threads": 2, "replies": 2, "extras": True},
    "bx": {"platform": "bluesky", "threads": 2, "replies": 2, "extras": True},
}
ACCOUNTS = {
    "m": "platform = mastodon\ntoken_env = TOK_m\n",
    "b": "platform = bluesky\nuser = council.test\ntoken_env = TOK_b\n",
    "w": "platform = wordpress\nuser = editor\ntoken_env = TOK_w\n",
    "wp": "platform = wordpress\nuser = editor\ntoken_env = TOK_wp\n",
    "mx": "platform = mastodon\ntoken_env = TOK_mx\n",
    "bx": "platform = bluesky\nuser = council.test\ntoken_env = TOK_bx\n",
}
SECRETS = {"TOK_m": "tok-m", "TOK_b": "app-pass-b", "TOK_w": "abcd efgh ijkl mnop qrst uvwx",
           "TOK_wp": "abcd efgh ijkl mnop qrst uvwx", "TOK_mx": "tok-mx",
           "TOK_bx": "app-pass-bx"}


# The account URLs the fuzzers use (tests/fuzz/fuzz_*.c), so that Link headers stay on the
# account's own server.
FUZZ_URLS = {"mastodon": "https://example.social", "bluesky": "https://pds.example",
             "wordpress": "https://blog.example"}


def replay(base, entry, tokens, url):
    """The server's answer to a logged request, in the fuzzers' answer form. A Bluesky session
    made again has new tokens: tokens holds them for the requests after it."""
    req = urllib.request.Request(base + entry["path"], method=entry["method"],
                                 data=entry["body"].encode() if entry["body"] else None)
    for k in ("Authorization", "Content-Type"):
        if k in entry["headers"]:
            v = entry["headers"][k]
            if k == "Authorization" and v.startswith("Bearer ") and tokens:
                v = "Bearer " + tokens["refreshJwt" if "refreshSession" in entry["path"]
                                       else "accessJwt"]
            req.add_header(k, v)
    try:
        r = urllib.request.urlopen(req)
    except urllib.error.HTTPError as e:
        r = e
    head = [str(r.status)]
    for k in ("Link", "X-WP-TotalPages"):
        if r.headers.get(k):
            head.append("%s: %s" % (k, r.headers[k].replace(base + entry["path"].split("/")[0]
                                                              + "/" + entry["path"].split("/")[1],
                                                              url)))
    body = r.read().decode("utf-8", "replace")
    if "Session" in entry["path"]:
        try:
            tokens.update(json.loads(body))
        except ValueError:
            pass
    return "\n".join(head) + "\n\n" + body


def main():
    tactful, out = os.path.abspath(sys.argv[1]), sys.argv[2]
    work = tempfile.mkdtemp()
    try:
        os.mkdir(os.path.join(work, "fake"))
        with open(os.path.join(work, "fake.json"), "w") as f:
            json.dump({"tenants": TENANTS}, f)
        port_file = os.path.join(work, "fake", "port")
        subprocess.Popen([sys.executable, SERVER, "--config", os.path.join(work, "fake.json"),
                          "--port-file", port_file, "--max-seconds", "120"])
        while not os.path.exists(port_file):
            time.sleep(0.05)
        base = "http://127.0.0.1:" + open(port_file).read()
        env = dict(os.environ, TACTFUL_DB=os.path.join(work, "cache.db"),
                   TACTFUL_CONFIG=os.path.join(work, "config"), HOME=work,
                   NO_PROXY="*", no_proxy="*", **SECRETS)
        with open(env["TACTFUL_CONFIG"], "w") as f:
            for name, acc in ACCOUNTS.items():
                f.write("[account %s]\nurl = %s/%s\n%s\n" % (name, base, name, acc))
        for name, tenant in TENANTS.items():
            urllib.request.urlopen(urllib.request.Request(
                base + "/_control", data=b'{"clear_log": true}', method="POST")).read()
            subprocess.run([tactful, "sync", name], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            log = json.load(urllib.request.urlopen(base + "/_log"))
            tokens = {}
            answers = [replay(base, e, tokens, FUZZ_URLS[tenant["platform"]])
                       for e in log if e["path"].startswith("/" + name + "/")]
            d = os.path.join(out, tenant["platform"])
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "sync-" + name), "w") as f:
                f.write("fetch_new\n" + "\n--\n".join(answers))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
