#!/usr/bin/env python3
"""A fake Mastodon, Bluesky and WordPress server for tactful's tests, on 127.0.0.1 only.

Each "tenant" is one account's server, reached under its own path prefix:
http://127.0.0.1:PORT/NAME/... and speaks one platform's shapes as the adapters in net/ read
them (net/mastodon.c, net/bluesky.c, net/wordpress.c): Link-header paging for Mastodon, cursors
for Bluesky, X-WP-TotalPages
for WordPress, their error bodies, and the write endpoints replies use.

Tenants come from a JSON file (--config); tests change behaviour while it runs with
POST /_control and read back every request it received (method, path, headers, body) with
GET /_log. Faults are rules: {"match": "substring of method+' '+path", "status": 500,
"times": 2, "after": 0, "headers": {...}, "body": "...", "stall": 3.0, "big": 20000000}.
A rule with "hold": "NAME" keeps the request waiting until {"release": "NAME"} is posted to
/_control (at most 300 s), so a test acts while the request is held, whatever the machine's
speed; "pass": true then lets the request through. Every logged request gets "done": true
once the server has finished with it (answered, or failed to because the client went).

Echo mode ("echo": "raw" | "json" | "url" | "base64" in a tenant's configuration, or set later
with {"set": {NAME: {"echo": ...}}}; or "echo" in a fault rule) makes every error answer
repeat the request's Authorization header and body in that encoding, inside the platform's
error fields, as careless servers do: the secrets tests check tactful never passes it on.

The server exits by itself when the folder of --port-file disappears (the test is over) or
after --max-seconds.
"""
import argparse
import base64
import hashlib
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.RLock()
TENANTS = {}
LOG = []
LOG_ON = [True]
HOLDS = {}  # name of a "hold" rule -> threading.Event set by {"release": name}


def hold_event(name):
    """The event a "hold" rule named NAME waits on, made on first use."""
    with LOCK:
        return HOLDS.setdefault(name, threading.Event())
T0 = 1767225600  # 2026-01-01T00:00:00Z


def iso(t, ms=False):
    s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t))
    return s + (".000Z" if ms else "Z")


def evil(i):
    """Text carrying terminal escape sequences (title change, clear screen, OSC 52)."""
    return ("pwn \x1b]0;owned\x07 \x1b[2J\x1b[31mred\x1b[0m "
            "\x1b]52;c;ZWNobyBoaQ==\x07 \u202eevil\u202c %d" % i)


# ---------------------------------------------------------------- Mastodon


class Mastodon:
    """Threads of statuses mentioning us; notifications for each mention."""

    def __init__(self, name, cfg):
        self.name = name
        self.token = cfg.get("token", "tok-" + name)
        self.me = {"id": "1", "username": "dept", "acct": "dept",
                   "display_name": "Council", "url": "https://x/@dept"}
        self.statuses = {}
        self.order = []
        self.notifications = []
        self.next_id = 1000
        self.next_nid = 5000
        self.idem = {}
        self.context_lag = cfg.get("context_lag", False)
        self.created = set()
        self.max_chars = cfg.get("max_characters", 500)
        self.v2 = cfg.get("v2_instance", True)
        self.echo = cfg.get("echo")  # echo the request in error answers
        self.t0 = base_time(cfg)
        for t in range(cfg.get("threads", 2)):
            root = self.add("alice%d" % t, None, "<p>Root %d about <a href=\"https://"
                            "example.org/bins\">bins</a> &amp; recycling</p>" % t, t * 100,
                            cfg.get("visibility", "public"))
            parent = root
            for r in range(cfg.get("replies", 2)):
                text = evil(r) if cfg.get("evil") and r == 0 else "Reply %d.%d" % (t, r)
                if cfg.get("long") and r == 0:  # longer than the cache keeps of a post
                    text = "Reply %d.%d %s" % (t, r, "x" * 300000)
                parent = self.add("bob%d" % r, parent, "<p>@dept %s</p>" % text,
                                  t * 100 + r + 1, cfg.get("visibility", "public"))
                self.notify(parent)
        if cfg.get("extras"):
            self.add_extras(cfg["extras"] == "huge")

    def add_extras(self, huge=False):
        """Thread 0's root with a content warning, five media (alt, none, hostile and huge) and
        a link card; its first reply quotes thread 1's root; thread 1 is followers-only and
        its last reply a direct message (needs threads >= 2, replies >= 2). huge: every alt
        text is 1,000 control characters, six bytes each in JSON."""
        root, reply = self.statuses[self.order[0]], self.statuses[self.order[1]]
        root["spoiler_text"] = "Council tax \x1b[31mrates\x1b[0m"
        root["sensitive"] = True
        big = evil(9) + " " + "\u202e" + "A" * 5000
        root["media_attachments"] = [
            {"id": "m1", "type": "image", "url": "https://files.example/m1.png",
             "description": "A bin overflowing onto the pavement"},
            {"id": "m2", "type": "image", "url": "https://files.example/m2.png",
             "description": None},
            {"id": "m3", "type": "video", "url": "https://files.example/m3.mp4",
             "description": big},
            {"id": "m4", "type": "image", "url": "https://files.example/m4.png",
             "description": "fourth"},
            {"id": "m5", "type": "image", "url": "https://files.example/m5.png",
             "description": "fifth"}]
        if huge:
            for m in root["media_attachments"]:
                m["description"] = "\x01" * 1000
        root["card"] = {"url": "https://news.example.org/bins?day=1", "type": "link",
                        "title": "Bin day changes \x1b]0;owned\x07",
                        "description": "From March, collections move to Thursdays."}
        n = len(self.order) // 2
        reply["quote"] = {"state": "accepted", "quoted_status": self.statuses[self.order[n]]}
        for k in self.order[n:]:
            self.statuses[k]["visibility"] = "private"
        self.statuses[self.order[-1]]["visibility"] = "direct"

    def add(self, user, parent, content, offset, visibility="public", acct_id=None):
        self.next_id += 1
        sid = str(self.next_id)
        acct = user if "@" in user or user == "dept" else user + "@remote.example"
        st = {"id": sid, "uri": "https://remote.example/statuses/" + sid,
              "url": "https://remote.example/@%s/%s" % (user, sid),
              "created_at": iso(self.t0 + offset, True), "edited_at": None,
              "account": {"id": acct_id or str(abs(hash(user)) % 100000 + 10),
                          "username": user.split("@")[0], "acct": acct,
                          "display_name": user.title(), "url": "https://remote.example/@" + user},
              "content": content, "spoiler_text": "", "in_reply_to_id": parent,
              "in_reply_to_account_id": None, "visibility": visibility, "language": "en",
              "replies_count": 0, "mentions": [], "reblog": None}
        self.statuses[sid] = st
        self.order.append(sid)
        return sid

    def notify(self, sid):
        self.next_nid += 1
        self.notifications.append({"id": str(self.next_nid), "type": "mention",
                                   "created_at": self.statuses[sid]["created_at"],
                                   "account": self.statuses[sid]["account"],
                                   "status": self.statuses[sid]})

    def add_mentions(self, n):
        """More mentions arriving later: replies to the first thread's root."""
        with LOCK:
            root = self.order[0]
            for i in range(n):
                sid = self.add("carol%d" % i, root, "<p>@dept later %d</p>" % i, 10000 + i)
                self.notify(sid)

    def delete(self, sid):
        """Deletes a status, as its author can: gone from every answer (404), and its
        notifications with it."""
        self.statuses.pop(sid, None)
        self.order = [k for k in self.order if k != sid]
        self.notifications = [n for n in self.notifications if n["status"]["id"] != sid]

    def reply_quietly(self, parent):
        """A reply now that does not mention the account: no notification."""
        return self.add("dora", parent, "<p>Quiet reply to %s</p>" % parent,
                        int(time.time() - self.t0))

    def context(self, sid):
        anc = []
        cur = self.statuses[sid]["in_reply_to_id"]
        while cur and cur in self.statuses:
            anc.insert(0, self.statuses[cur])
            cur = self.statuses[cur]["in_reply_to_id"]
        desc, todo = [], [sid]
        while todo:
            p = todo.pop(0)
            for k in self.order:
                s = self.statuses[k]
                if s["in_reply_to_id"] == p:
                    if not (self.context_lag and k in self.created):
                        desc.append(s)
                    todo.append(k)
        return {"ancestors": anc, "descendants": desc}

    def handle(self, h, method, path, q, body):
        if h.auth() != "Bearer " + self.token:
            return h.send_json(401, {"error": "The access token is invalid"})
        if path == "/api/v1/accounts/verify_credentials":
            return h.send_json(200, self.me)
        if path == "/api/v2/instance":
            if not self.v2:
                return h.send_json(404, {"error": "Record not found"})
            return h.send_json(200, {"domain": "127.0.0.1", "configuration": {"statuses": {
                "max_characters": self.max_chars, "characters_reserved_per_url": 23}}})
        if path == "/api/v1/instance":
            return h.send_json(200, {"configuration": {"statuses": {
                "max_characters": self.max_chars}}})
        if path == "/api/v1/notifications":
            return self.notifications_page(h, q)
        if path.startswith("/api/v1/statuses/") and path.endswith("/context"):
            sid = path.split("/")[4]
            if sid not in self.statuses:
                return h.send_json(404, {"error": "Record not found"})
            return h.send_json(200, self.context(sid))
        if path.startswith("/api/v1/statuses/") and method == "GET":
            sid = path.split("/")[4]
            if sid not in self.statuses:
                return h.send_json(404, {"error": "Record not found"})
            return h.send_json(200, self.statuses[sid])
        if path == "/api/v1/statuses" and method == "POST":
            key = h.headers.get("Idempotency-Key")
            if key and key in self.idem:
                return h.send_json(200, self.statuses[self.idem[key]])
            data = json.loads(body or "{}")
            parent = data.get("in_reply_to_id")
            if parent and parent not in self.statuses:
                return h.send_json(404, {"error": "Record not found"})
            if len(data.get("status", "")) > self.max_chars:
                return h.send_json(422, {"error": "Validation failed: Text character limit "
                                                  "of %d exceeded" % self.max_chars})
            sid = self.add("dept", parent, "<p>%s</p>" % data.get("status", ""), 20000,
                           data.get("visibility", "public"), acct_id="1")
            self.statuses[sid]["created_at"] = iso(time.time(), True)
            self.statuses[sid]["spoiler_text"] = data.get("spoiler_text", "")
            self.created.add(sid)
            if key:
                self.idem[key] = sid
            return h.send_json(200, self.statuses[sid])
        return h.send_json(404, {"error": "Record not found"})

    def notifications_page(self, h, q):
        limit = min(int(q.get("limit", ["40"])[0]), 80)
        types = q.get("types[]")
        items = [n for n in self.notifications if not types or n["type"] in types]
        items.sort(key=lambda n: int(n["id"]), reverse=True)
        if "max_id" in q:
            items = [n for n in items if int(n["id"]) < int(q["max_id"][0])]
        if "since_id" in q:
            items = [n for n in items if int(n["id"]) > int(q["since_id"][0])]
        if "min_id" in q:
            items = [n for n in items if int(n["id"]) > int(q["min_id"][0])]
            items = items[-limit:]  # the ones just above min_id
        else:
            items = items[:limit]
        headers = {}
        if items:
            base = h.base_url() + "/api/v1/notifications?types[]=mention&limit=%d" % limit
            headers["Link"] = '<%s&max_id=%s>; rel="next", <%s&min_id=%s>; rel="prev"' % (
                base, items[-1]["id"], base, items[0]["id"])
        return h.send_json(200, items, headers)


# ---------------------------------------------------------------- Bluesky


class Bluesky:
    def __init__(self, name, cfg):
        self.name = name
        self.handle = cfg.get("handle", "council.test")
        self.password = cfg.get("password", "app-pass-" + name)
        self.did = "did:plc:council" + name
        self.sessions = 0
        self.access = None
        self.refresh = None
        self.expire_first = cfg.get("expire_first", False)
        self.echo = cfg.get("echo")  # echo the request in error answers
        self.posts = {}
        self.order = []
        self.notifications = []
        self.records = {}
        self.seq = 0
        self.deleted = set()
        self.blocked = set()
        self.gated = set()
        self.t0 = base_time(cfg)
        for t in range(cfg.get("threads", 2)):
            root = self.add("alice%d.test" % t, None, "Root %d: see example.org/lon..." % t,
                            t * 100, link=True)
            parent = root
            for r in range(cfg.get("replies", 2)):
                text = evil(r) if cfg.get("evil") and r == 0 else "Reply %d.%d @%s" % (
                    t, r, self.handle)
                parent = self.add("bob%d.test" % r, parent, text, t * 100 + r + 1)
                self.notify(parent, "reply" if r % 2 else "mention")
        if cfg.get("extras"):
            self.add_extras()

    def add_extras(self):
        """Thread 0's root with a self-label and three images (alt, none, hostile and huge);
        its first reply quotes thread 1's root with an image, its second has a link card;
        thread 1's first reply quotes a post that is gone (needs threads >= 2, replies >= 2)."""
        posts = [self.posts[k] for k in self.order]
        root, r0, r1 = posts[0], posts[1], posts[2]
        n = len(posts) // 2
        big = evil(9) + " \u202e" + "B" * 5000
        images = [{"alt": "Flooded underpass on Mill Road", "image": {"ref": "b1"}},
                  {"alt": "", "image": {"ref": "b2"}},
                  {"alt": big, "image": {"ref": "b3"}}]
        root["record"]["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        root["record"]["labels"] = {"$type": "com.atproto.label.defs#selfLabels",
                                    "values": [{"val": "graphic-media"}]}
        root["embed"] = {"$type": "app.bsky.embed.images#view", "images": [
            {"alt": i["alt"], "fullsize": "https://cdn.example/img/%d" % k,
             "thumb": "https://cdn.example/t/%d" % k} for k, i in enumerate(images)]}
        q = posts[n]
        r0["embed"] = {"$type": "app.bsky.embed.recordWithMedia#view",
                       "record": {"$type": "app.bsky.embed.record#view", "record": {
                           "$type": "app.bsky.embed.record#viewRecord", "uri": q["uri"],
                           "cid": q["cid"], "author": q["author"], "value": q["record"],
                           "indexedAt": q["indexedAt"]}},
                       "media": {"$type": "app.bsky.embed.images#view", "images": [
                           {"alt": "", "fullsize": "https://cdn.example/img/q",
                            "thumb": "https://cdn.example/t/q"}]}}
        r1["embed"] = {"$type": "app.bsky.embed.external#view", "external": {
            "uri": "https://www.example.gov.uk/roadworks?area=7",
            "title": "Roadworks map", "description": "Closures this week \u202eevil"}}
        posts[n + 1]["embed"] = {"$type": "app.bsky.embed.record#view", "record": {
            "$type": "app.bsky.embed.record#viewNotFound", "uri": "at://did:plc:x/p/1",
            "notFound": True}}

    def add(self, handle, parent, text, offset, link=False, did=None, rkey=None):
        self.seq += 1
        did = did or "did:plc:" + handle.replace(".", "")
        rkey = rkey or "3k%011d" % self.seq
        uri = "at://%s/app.bsky.feed.post/%s" % (did, rkey)
        record = {"$type": "app.bsky.feed.post", "text": text,
                  "createdAt": iso(self.t0 + offset, True), "langs": ["en"]}
        if link:
            start = text.index("example.org")
            record["facets"] = [{"index": {"byteStart": start,
                                           "byteEnd": start + len("example.org/lon...")},
                                 "features": [{"$type": "app.bsky.richtext.facet#link",
                                               "uri": "https://example.org/long/path"}]}]
        if parent:
            p = self.posts[parent]
            root = p["record"].get("reply", {}).get("root") or {"uri": p["uri"], "cid": p["cid"]}
            record["reply"] = {"root": root, "parent": {"uri": p["uri"], "cid": p["cid"]}}
        post = {"uri": uri, "cid": "bafy" + hashlib.sha1(uri.encode()).hexdigest()[:20],
                "author": {"did": did, "handle": handle, "displayName": handle.split(".")[0]},
                "record": record, "replyCount": 0,
                "indexedAt": iso(self.t0 + offset + 1, True), "viewer": {}}
        self.posts[uri] = post
        self.order.append(uri)
        return uri

    def notify(self, uri, reason):
        p = self.posts[uri]
        self.notifications.append(dict(p, reason=reason, isRead=False,
                                       reasonSubject=p["record"].get("reply", {}).get(
                                           "parent", {}).get("uri")))

    def add_mentions(self, n):
        with LOCK:
            root = self.order[0]
            for i in range(n):
                uri = self.add("carol%d.test" % i, root, "later %d @%s" % (i, self.handle),
                               10000 + i)
                self.notify(uri, "reply")

    def reply_quietly(self, parent):
        """A reply now that does not mention the account: no notification."""
        return self.add("dora.test", parent, "Quiet reply", int(time.time() - self.t0))

    def edit(self, uri, text):
        """Replaces the post's record (putRecord): new text, new cid."""
        p = self.posts[uri]
        p["record"] = dict(p["record"], text=text)
        p["cid"] = "bafy" + hashlib.sha1((uri + text).encode()).hexdigest()[:20]

    def thread(self, uri, depth):
        """A thread view as the AppView gives it: a deleted reply is left out (with its
        replies), a blocked one is a blockedPost."""
        if uri in self.blocked:
            return {"$type": "app.bsky.feed.defs#blockedPost", "uri": uri, "blocked": True,
                    "author": {"did": self.posts[uri]["author"]["did"]}}
        p = self.posts[uri]
        root = (p["record"].get("reply") or {}).get("root", {}).get("uri", uri)
        if root in self.gated:
            p = dict(p, viewer=dict(p["viewer"], replyDisabled=True))
        node = {"$type": "app.bsky.feed.defs#threadViewPost", "post": p, "replies": []}
        if depth > 0:
            for k in self.order:
                r = self.posts[k]["record"].get("reply")
                if r and r["parent"]["uri"] == uri and k not in self.deleted:
                    node["replies"].append(self.thread(k, depth - 1))
        return node

    def new_tokens(self):
        self.sessions += 1
        self.access = "acc-%s-%d" % (self.name, self.sessions)
        self.refresh = "ref-%s-%d" % (self.name, self.sessions)
        return {"accessJwt": self.access, "refreshJwt": self.refresh, "did": self.did,
                "handle": self.handle, "active": True,
                "didDoc": {"id": self.did, "service": [{"id": "#atproto_pds",
                                                        "type": "AtprotoPersonalDataServer",
                                                        "serviceEndpoint": "http://127.0.0.1"}]}}

    def handle_req(self, h, method, path, q, body):
        nsid = path[len("/xrpc/"):]
        if nsid == "com.atproto.server.createSession":
            data = json.loads(body or "{}")
            if data.get("identifier") != self.handle or data.get("password") != self.password:
                return h.send_json(401, {"error": "AuthenticationRequired",
                                         "message": "Invalid identifier or password"})
            return h.send_json(200, self.new_tokens())
        if nsid == "com.atproto.server.refreshSession":
            if h.auth() != "Bearer %s" % self.refresh:
                return h.send_json(400, {"error": "ExpiredToken", "message": "Token expired"})
            return h.send_json(200, self.new_tokens())
        if h.auth() != "Bearer %s" % self.access:
            return h.send_json(400, {"error": "InvalidToken", "message": "Bad token"})
        if self.expire_first:
            self.expire_first = False
            self.access = None  # this token is now expired
            return h.send_json(400, {"error": "ExpiredToken", "message": "Token has expired"})
        if nsid == "app.bsky.notification.listNotifications":
            limit = int(q.get("limit", ["50"])[0])
            reasons = q.get("reasons")
            items = [n for n in reversed(self.notifications)
                     if not reasons or n["reason"] in reasons]
            start = int(q.get("cursor", ["0"])[0])
            page = items[start:start + limit]
            out = {"notifications": page}
            if start + limit < len(items):
                out["cursor"] = str(start + limit)
            return h.send_json(200, out)
        if nsid == "app.bsky.feed.getPostThread":
            uri = q.get("uri", [""])[0]
            if uri not in self.posts or uri in self.deleted:
                return h.send_json(400, {"error": "NotFound", "message": "Post not found"})
            out = {"thread": self.thread(uri, int(q.get("depth", ["6"])[0]))}
            if uri in self.gated:
                out["threadgate"] = {"uri": uri.replace("app.bsky.feed.post",
                                                        "app.bsky.feed.threadgate"),
                                     "cid": "bafygate", "record": {
                                         "$type": "app.bsky.feed.threadgate", "post": uri,
                                         "allow": [{"$type":
                                                    "app.bsky.feed.threadgate#followingRule"}],
                                         "createdAt": iso(time.time(), True)}}
            return h.send_json(200, out)
        if nsid == "app.bsky.feed.getPosts":
            uris = q.get("uris", [])[:25]
            return h.send_json(200, {"posts": [self.posts[u] for u in uris if u in self.posts
                                               and u not in self.deleted]})
        if nsid == "com.atproto.identity.resolveHandle":
            handle = q.get("handle", [""])[0]
            if handle.endswith(".test"):
                return h.send_json(200, {"did": "did:plc:" + handle.replace(".", "")})
            return h.send_json(400, {"error": "InvalidRequest", "message": "Unable to resolve"})
        if nsid == "com.atproto.repo.getRecord":
            key = (q.get("repo", [""])[0], q.get("rkey", [""])[0])
            if key not in self.records:
                return h.send_json(400, {"error": "RecordNotFound",
                                         "message": "Could not locate record"})
            uri = self.records[key]
            p = self.posts[uri]
            return h.send_json(200, {"uri": uri, "cid": p["cid"], "value": p["record"]})
        if nsid == "com.atproto.repo.createRecord":
            data = json.loads(body or "{}")
            if data.get("repo") != self.did:
                return h.send_json(400, {"error": "InvalidRequest", "message": "bad repo"})
            rec = data.get("record", {})
            rkey = data.get("rkey")
            if (self.did, rkey) in self.records:
                return h.send_json(400, {"error": "InvalidRequest",
                                         "message": "Record already exists"})
            parent = rec.get("reply", {}).get("parent", {}).get("uri")
            if parent not in self.posts:
                return h.send_json(400, {"error": "InvalidRequest", "message": "no parent"})
            uri = self.add(self.handle, parent, rec.get("text", ""), 20000, did=self.did,
                           rkey=rkey)
            self.posts[uri]["record"] = rec
            self.records[(self.did, rkey)] = uri
            return h.send_json(200, {"uri": uri, "cid": self.posts[uri]["cid"]})
        return h.send_json(400, {"error": "MethodNotImplemented", "message": nsid})


# ---------------------------------------------------------------- WordPress


class WordPress:
    def __init__(self, name, cfg):
        self.name = name
        self.user = cfg.get("user", "editor")
        self.password = cfg.get("password", "abcd efgh ijkl mnop qrst uvwx")
        self.pretty = cfg.get("pretty", True)
        self.echo = cfg.get("echo")  # echo the request in error answers
        self.cache = {}
        self.posts = {}
        self.comments = {}
        self.next_comment = 2
        self.t0 = base_time(cfg)
        nposts = cfg.get("posts", 2)
        per = cfg.get("comments", 3)
        for p in range(nposts):
            pid = 10 + p
            self.posts[pid] = {"id": pid, "date_gmt": iso(self.t0 + p * 100)[:-1],
                               "modified_gmt": iso(self.t0 + p * 100)[:-1],
                               "link": "https://blog.example/?p=%d" % pid,
                               "title": {"rendered": "Post &#8220;%d&#8221;" % pid},
                               "excerpt": {"rendered": "<p>Excerpt of %d&hellip;</p>\n" % pid},
                               "comment_status": "open", "author": 3}
            parent = 0
            for c in range(per):
                text = evil(c) if cfg.get("evil") and c == 0 else "Comment %d on %d" % (c, pid)
                parent = self.add(pid, parent if c % 2 else 0, "Guest %d" % c, 0,
                                  "<p>%s</p>\n" % text, self.t0 + p * 100 + c + 1)

    def add(self, post, parent, author_name, author, html, t, status="approved"):
        self.cache = {}
        cid = self.next_comment
        self.next_comment += 1
        self.comments[cid] = {"id": cid, "post": post, "parent": parent, "author": author,
                              "author_name": author_name, "author_url": "",
                              "date": iso(t)[:-1], "date_gmt": iso(t)[:-1],
                              "content": {"rendered": html},
                              "link": "https://blog.example/?p=%d#comment-%d" % (post, cid),
                              "status": status, "type": "comment"}
        return cid

    def add_mentions(self, n):
        with LOCK:
            pid = min(self.posts)
            for i in range(n):
                self.add(pid, 0, "Late %d" % i, 0, "<p>late %d</p>\n" % i, T0 + 50000 + i)

    def authed(self, h):
        a = h.headers.get("Authorization", "")
        if not a.startswith("Basic "):
            return False
        try:
            user, pw = base64.b64decode(a[6:]).decode().split(":", 1)
        except Exception:
            return False
        return user == self.user and pw == self.password

    def listing(self, q):
        """The comments a query selects, sorted; cached until the next write."""
        key = tuple(sorted((k, tuple(v)) for k, v in q.items()
                           if k not in ("page", "per_page", "_fields", "rest_route")))
        if key in self.cache:
            return self.cache[key]
        items = list(self.comments.values())
        status = q.get("status", ["approve"])[0]
        want = {"approve": "approved", "hold": "hold"}.get(status, status)
        items = [c for c in items if c["status"] == want]
        for k in ("post", "parent", "author"):
            if k in q:
                want_ids = q[k][0].split(",")
                items = [c for c in items if str(c[k]) in want_ids]
        if "after" in q:
            items = [c for c in items if c["date"] > q["after"][0]]
        items.sort(key=lambda c: (c["date_gmt"], c["id"]) if q.get("orderby", [""])[0]
                   == "date_gmt" else c["id"], reverse=q.get("order", ["desc"])[0] == "desc")
        self.cache[key] = items
        return items

    def comments_page(self, h, q):
        items = self.listing(q)
        per = min(int(q.get("per_page", ["10"])[0]), 100)
        page = int(q.get("page", ["1"])[0])
        total = len(items)
        pages = max(1, (total + per - 1) // per)
        if page > pages and total:
            return h.send_json(400, {"code": "rest_post_invalid_page_number",
                                     "message": "The page number requested is larger than "
                                     "the number of pages available.",
                                     "data": {"status": 400}})
        return h.send_json(200, items[(page - 1) * per:page * per],
                           {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})

    def handle(self, h, method, route, q, body):
        if route in ("/", ""):
            return h.send_json(200, {"name": "Blog", "namespaces": ["wp/v2"]})
        if not self.authed(h):
            code = "rest_comment_login_required" if method == "POST" else "rest_not_logged_in"
            return h.send_json(401, {"code": code, "message": "You are not currently logged in.",
                                     "data": {"status": 401}})
        if route == "/wp/v2/users/me":
            return h.send_json(200, {"id": 7, "name": "Comms Team", "slug": self.user})
        if route == "/wp/v2/users":
            ids = [int(x) for x in q.get("include", [""])[0].split(",") if x]
            return h.send_json(200, [{"id": i, "name": "Author %d" % i} for i in ids])
        if route == "/wp/v2/posts":
            ids = [int(x) for x in q.get("include", [""])[0].split(",") if x]
            return h.send_json(200, [self.posts[i] for i in ids if i in self.posts])
        if route == "/wp/v2/comments" and method == "GET":
            return self.comments_page(h, q)
        if route == "/wp/v2/comments" and method == "POST":
            data = json.loads(body or "{}")
            post = data.get("post")
            if post not in self.posts:
                return h.send_json(403, {"code": "rest_comment_invalid_post_id",
                                         "message": "Sorry, you are not allowed to create this "
                                         "comment without a post.", "data": {"status": 403}})
            if self.posts[post]["comment_status"] != "open":
                return h.send_json(403, {"code": "rest_comment_closed",
                                         "message": "Sorry, comments are closed for this item.",
                                         "data": {"status": 403}})
            html = "<p>%s</p>\n" % data.get("content", "").replace("'", "&#8217;")
            for c in self.comments.values():
                if c["post"] == post and c["author"] == 7 and c["content"]["rendered"] == html:
                    return h.send_json(409, {"code": "comment_duplicate",
                                             "message": "Duplicate comment detected; it looks "
                                             "as though you&#8217;ve already said that!",
                                             "data": {"status": 409}})
            cid = self.add(post, data.get("parent", 0), "Comms Team", 7, html, time.time())
            return h.send_json(201, self.comments[cid],
                               {"Location": h.base_url() + "/wp-json/wp/v2/comments/%d" % cid})
        return h.send_json(404, {"code": "rest_no_route", "message": "No route was found.",
                                 "data": {"status": 404}})


PLATFORMS = {"mastodon": Mastodon, "bluesky": Bluesky, "wordpress": WordPress}


def base_time(cfg):
    """When a tenant's seeded posts start: 2026-01-01, or two hours ago for a tenant made
    "recent" (its threads are recent enough for a sync to read them again)."""
    return int(time.time()) - 7200 if cfg.get("recent") else T0

# ---------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake/1"
    # One write per response and no Nagle delay, as a real server does; otherwise every
    # request waits for a delayed ACK.
    wbufsize = 256 * 1024
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def base_url(self):
        return "http://%s/%s" % (self.headers.get("Host"), self.tenant_name)

    def auth(self):
        """The Authorization header as the UTF-8 text the client sent (http.server reads
        header bytes as Latin-1)."""
        a = self.headers.get("Authorization")
        try:
            return a.encode("latin-1").decode("utf-8") if a else a
        except UnicodeError:
            return a

    def echo_text(self, how):
        """The request's Authorization header and body, encoded as `how` says."""
        plain = "Authorization: %s; body: %s" % (self.auth() or "", getattr(self, "req_body", ""))
        if how == "json":
            return json.dumps({"authorization": self.auth(), "body": getattr(self, "req_body", "")})
        if how == "url":
            return urllib.parse.urlencode({"authorization": self.auth() or "",
                                           "body": getattr(self, "req_body", "")})
        if how == "base64":
            return "request " + base64.b64encode(plain.encode()).decode()
        return plain

    def echoed(self, status, obj, how):
        """An error answer obj with the echo added to its message (Mastodon: its error)."""
        if status < 400 or not how or not isinstance(obj, dict):
            return obj
        obj = dict(obj)
        text = " (you sent %s)" % self.echo_text(how)
        key = "message" if "message" in obj or "code" in obj else "error"
        obj[key] = str(obj.get(key, "error")) + text
        return obj

    def send_json(self, status, obj, headers=None):
        tenant = TENANTS.get(getattr(self, "tenant_name", ""))
        how = getattr(tenant["impl"], "echo", None) if tenant else None
        obj = self.echoed(status, obj, how)
        self.send_body(status, json.dumps(obj).encode(), headers, "application/json")

    def send_body(self, status, data, headers=None, ctype="application/json"):
        if getattr(self, "recording", False):
            self.recorded = (status, data, headers, ctype)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        for k, v in self.budget_headers().items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def budget_headers(self):
        """A tenant with "ratelimit": {"limit": L, "remaining": R, "reset_in": S} reports its
        request budget on every answer (Mastodon: X-RateLimit-*, reset as ISO 8601; Bluesky:
        RateLimit-*, reset as epoch seconds), R falling by one per request."""
        tenant = TENANTS.get(getattr(self, "tenant_name", ""))
        rl = tenant.get("ratelimit") if tenant else None
        if not rl:
            return {}
        with LOCK:
            left = rl["remaining"]
            rl["remaining"] = max(0, left - 1)
        reset = int(time.time()) + rl.get("reset_in", 300)
        if isinstance(tenant["impl"], Bluesky):
            return {"RateLimit-Limit": str(rl["limit"]), "RateLimit-Remaining": str(left),
                    "RateLimit-Reset": str(reset)}
        return {"X-RateLimit-Limit": str(rl["limit"]), "X-RateLimit-Remaining": str(left),
                "X-RateLimit-Reset": iso(reset, True)}

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def apply_rules(self, tenant, what):
        """Returns True when a fault rule answered the request."""
        for rule in tenant.get("rules", []):
            if rule.get("match", "") not in what:
                continue
            with LOCK:
                if rule.get("after", 0) > 0:
                    rule["after"] -= 1
                    continue
                if rule.get("times", 1) == 0:
                    continue
                if rule.get("times", 1) > 0:
                    rule["times"] = rule.get("times", 1) - 1
            if "stall" in rule:
                time.sleep(rule["stall"])
                if rule.get("pass"):
                    return False
            if "hold" in rule:
                hold_event(rule["hold"]).wait(300)
                if rule.get("pass"):
                    return False
            if "big" in rule:
                chunk = b"[" + b"1," * 65536
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(rule["big"]))
                self.end_headers()
                sent = 0
                try:
                    while sent < rule["big"]:
                        part = chunk[: rule["big"] - sent]
                        self.wfile.write(part)
                        self.wfile.flush()
                        sent += len(part)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
                return True
            if "status" in rule and rule.get("echo"):
                body = rule.get("body", {"error": "injected", "message": "injected"})
                self.send_body(rule["status"], json.dumps(self.echoed(
                    rule["status"], body, rule["echo"])).encode(), rule.get("headers"))
                return True
            if "status" in rule:
                body = rule.get("body")
                data = body.encode() if isinstance(body, str) else json.dumps(
                    body if body is not None else {"error": "injected"}).encode()
                self.send_body(rule["status"], data, rule.get("headers"))
                return True
            if rule.get("drop"):
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass
                return True
        return False

    def route(self):
        self.log_entry = None
        try:
            self.route_request()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            if self.log_entry is not None:
                with LOCK:
                    self.log_entry["done"] = True

    def route_request(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        parts = url.path.split("/", 2)
        self.tenant_name = parts[1] if len(parts) > 1 else ""
        self.req_body = body
        if LOG_ON[0]:
            with LOCK:
                self.log_entry = {"method": self.command, "path": self.path,
                                  "headers": {k: v for k, v in self.headers.items()},
                                  "body": body}
                LOG.append(self.log_entry)
        if self.path == "/_log":
            with LOCK:
                return self.send_json(200, LOG)
        if self.path == "/_control" and self.command == "POST":
            return self.control(json.loads(body))
        tenant = TENANTS.get(self.tenant_name)
        if tenant is None:
            return self.send_body(404, b"<html>no such tenant</html>", None, "text/html")
        rest = "/" + (parts[2] if len(parts) > 2 else "")
        if tenant.get("latency"):
            time.sleep(tenant["latency"])  # a distant server's round trip
        if self.apply_rules(tenant, self.command + " " + rest + ("?" + url.query if url.query
                                                                  else "")):
            return
        impl = tenant["impl"]
        # Benchmarks: GET answers are computed once ("cache": true), as a real server's
        # caches would, so the fake is not what gets measured.
        key = (self.command, self.path, self.headers.get("Authorization"))
        if tenant.get("cache") and self.command == "GET" and key in tenant["answers"]:
            return self.send_body(*tenant["answers"][key])
        self.recorded = None
        with LOCK:
            self.recording = tenant.get("cache") and self.command == "GET"
            self.handle_impl(impl, rest, q, body)
        if self.recording and self.recorded:
            tenant["answers"][key] = self.recorded

    def handle_impl(self, impl, rest, q, body):
        with LOCK:
            if isinstance(impl, Mastodon):
                return impl.handle(self, self.command, rest, q, body)
            if isinstance(impl, Bluesky):
                if not rest.startswith("/xrpc/"):
                    return self.send_json(404, {"error": "NotFound"})
                return impl.handle_req(self, self.command, rest, q, body)
            if "rest_route" in q:
                return impl.handle(self, self.command, q["rest_route"][0], q, body)
            if rest.startswith("/wp-json") and impl.pretty:
                return impl.handle(self, self.command, rest[len("/wp-json"):], q, body)
            return self.send_body(404, b"<html><body>Not Found</body></html>", None,
                                  "text/html")

    def control(self, cmd):
        with LOCK:
            if cmd.get("clear_log"):
                LOG.clear()
            if "release" in cmd:
                hold_event(cmd["release"]).set()
            if "log" in cmd:
                LOG_ON[0] = bool(cmd["log"])
            for name, tcfg in cmd.get("tenants", {}).items():
                TENANTS[name] = {"impl": PLATFORMS[tcfg["platform"]](name, tcfg),
                                 "rules": tcfg.get("rules", []),
                                 "latency": tcfg.get("latency", 0),
                                 "cache": tcfg.get("cache", False), "answers": {},
                                 "ratelimit": tcfg.get("ratelimit")}
            for name, rules in cmd.get("rules", {}).items():
                TENANTS[name]["rules"] = rules
            for name, rl in cmd.get("ratelimit", {}).items():
                TENANTS[name]["ratelimit"] = rl
            for name, edit in cmd.get("edit", {}).items():
                # Mastodon: {"edit": {NAME: {"id": ID, "content": HTML}}} edits a status now;
                # Bluesky: {"edit": {NAME: {"id": URI, "text": TEXT}}} replaces its record.
                impl = TENANTS[name]["impl"]
                if isinstance(impl, Bluesky):
                    impl.edit(edit["id"], edit["text"])
                    continue
                st = impl.statuses[edit["id"]]
                st["content"] = edit["content"]
                st["edited_at"] = iso(time.time(), True)
            # What changes upstream after a sync (the "gone" tests):
            # {"delete": {NAME: ID}}: Mastodon deletes the status; Bluesky the post (left out
            # of threads, not found); WordPress moves the comment to the trash.
            for name, pid in cmd.get("delete", {}).items():
                impl = TENANTS[name]["impl"]
                if isinstance(impl, Mastodon):
                    impl.delete(pid)
                elif isinstance(impl, Bluesky):
                    impl.deleted.add(pid)
                else:
                    impl.comments[int(pid)]["status"] = "trash"
                    impl.cache = {}
            # {"reply_quietly": {NAME: PARENT}}: a reply now, with no notification.
            for name, parent in cmd.get("reply_quietly", {}).items():
                TENANTS[name]["impl"].reply_quietly(parent)
            # {"block": {NAME: URI}}: Bluesky: a block between the post's author and the
            # account (the thread shows blockedPost).
            for name, uri in cmd.get("block", {}).items():
                TENANTS[name]["impl"].blocked.add(uri)
            # {"gate": {NAME: ROOT_URI}}: Bluesky threadgate leaving the account out.
            for name, uri in cmd.get("gate", {}).items():
                TENANTS[name]["impl"].gated.add(uri)
            # {"close": {NAME: POST_ID}}: WordPress comments closed on the post.
            for name, pid in cmd.get("close", {}).items():
                TENANTS[name]["impl"].posts[int(pid)]["comment_status"] = "closed"
            # {"comment": {NAME: {"post": ID, "status": "hold"|"approved", "ago": SECONDS}}}:
            # WordPress: a comment written SECONDS ago (held ones wait for moderation);
            # {"approve": {NAME: ID}} approves one.
            for name, c in cmd.get("comment", {}).items():
                impl = TENANTS[name]["impl"]
                impl.add(int(c["post"]), 0, "Held guest", 0, "<p>Held comment</p>\n",
                         time.time() - c.get("ago", 0), c.get("status", "approved"))
            for name, cid in cmd.get("approve", {}).items():
                impl = TENANTS[name]["impl"]
                impl.comments[int(cid)]["status"] = "approved"
                impl.cache = {}
            for name, n in cmd.get("add_mentions", {}).items():
                TENANTS[name]["impl"].add_mentions(n)
            for name, attrs in cmd.get("set", {}).items():
                for k, v in attrs.items():
                    impl = TENANTS[name]["impl"]
                    if (isinstance(impl, Bluesky) and k == "password" and
                            v != getattr(impl, "password", None)):
                        impl.access = impl.refresh = None  # a new password ends its sessions
                    setattr(impl, k, v)
        return self.send_json(200, {"ok": True})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", help="JSON: {\"tenants\": {NAME: {\"platform\": ...}}}")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--max-seconds", type=float, default=900)
    args = ap.parse_args()
    if args.config:
        with open(args.config) as f:
            cfg = json.load(f)
        for name, tcfg in cfg.get("tenants", {}).items():
            TENANTS[name] = {"impl": PLATFORMS[tcfg["platform"]](name, tcfg),
                             "rules": tcfg.get("rules", []),
                             "latency": tcfg.get("latency", 0),
                             "cache": tcfg.get("cache", False), "answers": {},
                             "ratelimit": tcfg.get("ratelimit")}
        LOG_ON[0] = cfg.get("log", True)
    ThreadingHTTPServer.request_queue_size = 128  # many clients connect at once
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    folder = os.path.dirname(os.path.abspath(args.port_file))
    start = time.time()
    while os.path.isdir(folder) and time.time() - start < args.max_seconds:
        time.sleep(0.2)
    os._exit(0)


if __name__ == "__main__":
    main()
