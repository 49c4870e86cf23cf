# Helpers for the command-line tests that talk to the fake platform server
# (tests/fake/server.py) on 127.0.0.1. Source after lib.sh. Each test starts its own server;
# it stops by itself when the test's folder is removed.

ENQUEUE=${ENQUEUE:-$SRC/build/tests/helper_enqueue}
FAKE_SERVER=$SRC/tests/fake/server.py

# Never send test traffic through a proxy; keep waits short.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY='*' no_proxy='*'
export TACTFUL_HTTP_BACKOFF=0.05 TACTFUL_HTTP_TIMEOUT=10 TACTFUL_HTTP_CONNECT_TIMEOUT=3

# fake_start JSON: starts the fake server with the tenants in JSON; sets FAKE to its base URL.
fake_start() {
    printf '%s\n' "$1" >"$WORK/fake.json"
    mkdir -p "$WORK/fake"
    "$PYTHON" "$FAKE_SERVER" --config "$WORK/fake.json" --port-file "$WORK/fake/port" \
        --max-seconds 600 >/dev/null 2>"$WORK/fake.err" &
    _i=0
    while [ ! -s "$WORK/fake/port" ]; do
        sleep 0.05
        _i=$((_i + 1))
        [ $_i -lt 2400 ] || { fail "the fake server did not start: $(cat "$WORK/fake.err")"; return 1; }
    done
    FAKE="http://127.0.0.1:$(cat "$WORK/fake/port")"
}

# fake_ctl JSON: sends a control command (rules, tenants, add_mentions, clear_log ...).
fake_ctl() {
    "$PYTHON" - "$FAKE/_control" "$1" <<'PY'
import sys, urllib.request
r = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST")
urllib.request.urlopen(r).read()
PY
}

# fake_py EXPR: evaluates EXPR with `log` bound to the list of requests the server received
# (each {"method","path","headers","body"}) and prints it (lists space-separated).
fake_py() {
    "$PYTHON" - "$FAKE/_log" "$1" <<'PY'
import json, sys, urllib.request
log = [e for e in json.load(urllib.request.urlopen(sys.argv[1])) if e["path"] != "/_log"]
def hits(s, method=None):
    return [e for e in log if s in e["path"] and (method is None or e["method"] == method)]
def body(e):
    return json.loads(e["body"]) if e["body"] else None
v = eval(sys.argv[2], {"log": log, "hits": hits, "body": body, "json": json})
print(" ".join(str(x) for x in v) if isinstance(v, list) else v)
PY
}

# fake_hits SUBSTRING [METHOD]: how many requests had SUBSTRING in their path.
fake_hits() { fake_py "len(hits('$1'${2:+, '$2'}))"; }

# wait_hits SUBSTRING N [METHOD]: waits (up to 120 s, however busy the machine) until the
# server saw N such requests.
wait_hits() {
    _i=0
    while [ "$(fake_hits "$1" ${3:-})" -lt "$2" ]; do
        sleep 0.1
        _i=$((_i + 1))
        [ $_i -lt 1200 ] || { fail "the server never saw $2 requests for $1"; return 1; }
    done
}

# account_mastodon NAME TENANT / account_bluesky NAME TENANT / account_wordpress NAME TENANT:
# appends an account for a fake tenant to the configuration, its secret in an environment
# variable named TOK_NAME (set to what the fake server expects).
account_mastodon() {
    printf '[account %s]\nplatform = mastodon\nurl = %s/%s\ntoken_env = TOK_%s\n\n' \
        "$1" "$FAKE" "$2" "$1" >>"$TACTFUL_CONFIG"
    export "TOK_$1=tok-$2"
}
account_bluesky() {
    printf '[account %s]\nplatform = bluesky\nurl = %s/%s\nuser = council.test\ntoken_env = TOK_%s\n\n' \
        "$1" "$FAKE" "$2" "$1" >>"$TACTFUL_CONFIG"
    export "TOK_$1=app-pass-$2"
}
account_wordpress() {
    printf '[account %s]\nplatform = wordpress\nurl = %s/%s\nuser = editor\ntoken_env = TOK_%s\n\n' \
        "$1" "$FAKE" "$2" "$1" >>"$TACTFUL_CONFIG"
    export "TOK_$1=abcd efgh ijkl mnop qrst uvwx"
}

# enqueue THREAD IN_REPLY_TO|- BODY: queues a reply through the model API (as the composer
# will); prints the outbox id.
enqueue() { "$ENQUEUE" "$TACTFUL_DB" "$@"; }

# thread_of ACCOUNT REMOTE_ID: the local thread id holding that post.
thread_of() { db_count "select thread_id from posts p join accounts a on a.id = p.account_id where a.name = '$1' and p.remote_id = '$2'"; }
