#!/bin/sh
# Secrets never reach the cache, the audit log, an error message or any output, whatever
# happens; token_file must be private; token_cmd runs without a shell.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

SECRET=Zq9-very-secret-token-4711

# expect_secret_nowhere: the secret is in no file under $WORK but its token file and the
# server's log, and in no output of the last commands.
expect_secret_nowhere() {
    for f in "$TACTFUL_DB" "$TACTFUL_DB-wal" "$TACTFUL_DB-shm" "$WORK/all.out"; do
        [ ! -e "$f" ] || ! grep -aq -- "$SECRET" "$f" || fail "$f holds the secret" || return 1
    done
    t audit --json >"$WORK/audit.json" 2>&1 || return 1
    ! grep -q -- "$SECRET" "$WORK/audit.json" || fail "the audit log holds the secret" || return 1
    t accounts >"$WORK/accounts.out" 2>&1
    ! grep -q -- "$SECRET" "$WORK/accounts.out" || fail "tactful accounts shows the secret"
}

# run_all CMD...: runs a tactful command, appending both outputs to all.out.
run_all() { t "$@" >>"$WORK/all.out" 2>&1; }

test_token_file_secret_never_leaks() {
    fake_start "{\"tenants\": {\"m\": {\"platform\": \"mastodon\", \"token\": \"$SECRET\", \"threads\": 1, \"replies\": 1},
                              \"w\": {\"platform\": \"wordpress\", \"password\": \"$SECRET\", \"posts\": 1, \"comments\": 1}}}" || return 1
    printf '%s\n' "$SECRET" >"$WORK/token"
    chmod 600 "$WORK/token"
    printf '[account m]\nplatform = mastodon\nurl = %s/m\ntoken_file = %s\n\n' "$FAKE" "$WORK/token" >>"$TACTFUL_CONFIG"
    printf '[account w]\nplatform = wordpress\nurl = %s/w\nuser = editor\ntoken_cmd = cat %s\n' "$FAKE" "$WORK/token" >>"$TACTFUL_CONFIG"
    run_all sync || fail "sync: $(cat "$WORK/all.out")" || return 1
    run_all accounts check || fail "check: $(cat "$WORK/all.out")" || return 1
    enqueue "$(thread_of m 1002)" 1002 "Thanks." >/dev/null || return 1
    enqueue "$(thread_of w 2)" 2 "Thanks." >/dev/null || return 1
    run_all outbox send || fail "send: $(cat "$WORK/all.out")" || return 1
    # Failures of every kind: refused credentials, a server error quoting the request, a
    # server that is gone.
    fake_ctl '{"rules": {"m": [{"match": "/", "status": 401, "times": -1, "body": {"error": "The access token is invalid"}}],
                         "w": [{"match": "/", "status": 500, "times": -1, "body": "<html>Internal error</html>"}]}}' || return 1
    enqueue "$(thread_of m 1002)" 1002 "Again." >/dev/null || return 1
    TACTFUL_HTTP_RETRIES=0 run_all sync && fail "sync should fail" && return 1
    TACTFUL_HTTP_RETRIES=0 run_all outbox send && fail "send should fail" && return 1
    run_all accounts check && fail "check should fail" && return 1
    grep -q 'HTTP 401' "$WORK/all.out" || fail "no 401 reported: $(cat "$WORK/all.out")" || return 1
    run_all outbox list
    expect_secret_nowhere || return 1
    # The server did get it: the test would prove nothing otherwise.
    expect_eq True "$(fake_py "any('$SECRET' in e['headers'].get('Authorization', '') for e in log)")" "secret sent to the server"
}

test_bluesky_app_password_never_leaks() {
    fake_start "{\"tenants\": {\"b\": {\"platform\": \"bluesky\", \"password\": \"$SECRET\", \"threads\": 1, \"replies\": 1, \"expire_first\": true}}}" || return 1
    printf '[account b]\nplatform = bluesky\nurl = %s/b\nuser = council.test\ntoken_env = BSKY_PW\n' "$FAKE" >>"$TACTFUL_CONFIG"
    BSKY_PW=$SECRET run_all sync || fail "sync: $(cat "$WORK/all.out")" || return 1
    # The kept session stops refreshing (the server revoked it), so tactful logs in again, with
    # the wrong password.
    fake_ctl '{"set": {"b": {"refresh": "revoked"}}}' || return 1
    BSKY_PW=wrong-$SECRET run_all sync && fail "sync with a wrong password should fail" && return 1
    grep -q 'logging in: .*HTTP 401: AuthenticationRequired' "$WORK/all.out" || fail "no login failure: $(cat "$WORK/all.out")" || return 1
    expect_secret_nowhere || return 1
    # Nor do session tokens end up anywhere.
    for f in "$TACTFUL_DB" "$TACTFUL_DB-wal"; do
        [ ! -e "$f" ] || ! grep -aqE 'acc-b-|ref-b-' "$f" || fail "$f holds a session token" || return 1
    done
}

test_group_readable_token_file_is_refused() {
    fake_start '{"tenants": {"m": {"platform": "mastodon"}}}' || return 1
    printf '%s\n' "$SECRET" >"$WORK/token"
    chmod 644 "$WORK/token"
    printf '[account m]\nplatform = mastodon\nurl = %s/m\ntoken_file = %s\n' "$FAKE" "$WORK/token" >>"$TACTFUL_CONFIG"
    expect_status 1 t sync || return 1
    expect_err "token_file $WORK/token for account m can be read by others \\(mode 644\\); run: chmod 600 $WORK/token" || return 1
    ! grep -q -- "$SECRET" "$WORK/err" "$WORK/out" || fail "the secret was printed" || return 1
    expect_eq 0 "$(fake_hits /)" "requests made without a usable secret" || return 1
    chmod 600 "$WORK/token"
    expect_status 0 t accounts || return 1
    expect_out 'last error: token_file .* can be read by others'
}

test_token_cmd_runs_without_a_shell() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "token": "tok;touched"}}}' || return 1
    printf '[account m]\nplatform = mastodon\nurl = %s/m\ntoken_cmd = printf "%%s\\\\n" tok;touched\n' "$FAKE" >>"$TACTFUL_CONFIG"
    expect_status 0 t accounts check || return 1
    expect_out '^m +ok: signed in as @dept@127\.0\.0\.1, replies up to 500 characters$' || return 1
    [ ! -e touched ] || fail "a shell ran part of token_cmd" || return 1
    printf '[account n]\nplatform = mastodon\nurl = %s/m\ntoken_cmd = sh -c "echo %s; exit 4"\n' "$FAKE" "$SECRET" >>"$TACTFUL_CONFIG"
    expect_status 1 t accounts check n || return 1
    expect_err "n: check failed: token_cmd 'sh' for account n failed \\(exit status 4\\); run it yourself to see why" || return 1
    ! grep -q -- "$SECRET" "$WORK/err" "$WORK/out" || fail "the command's output was printed"
}

test_token_cmd_standard_error_is_quoted_safely() {
    # A failing token_cmd's complaint is quoted on one line with its escape sequences shown:
    # it never reaches the terminal raw (it used to, and could clear or retitle it).
    cat >"$WORK/noisy" <<'SH'
#!/bin/sh
printf 'gpg: \033]0;pwned\007\033[2Jdecryption failed\n' >&2
exit 2
SH
    chmod +x "$WORK/noisy"
    printf '[account n]\nplatform = mastodon\nurl = http://127.0.0.1:9/m\ntoken_cmd = %s\n' "$WORK/noisy" >>"$TACTFUL_CONFIG"
    expect_status 1 script -qec "$TACTFUL accounts check n" /dev/null || return 1
    expect_out "token_cmd '$WORK/noisy' for account n failed \\(exit status 2\\): it said: gpg: \\^\\[\\]0;pwned\\^G\\^\\[\\[2Jdecryption failed; run it yourself to see why" || return 1
    ! grep -q "$(printf '\033')" "$WORK/out" || fail "an escape reached the terminal"
}

# A secret with characters every encoding changes: / + space " and a non-ASCII letter.
ECHO_SECRET='Zq9/s3cret+tok én"4711'

# leaks FILE...: prints each form of ECHO_SECRET (plain, URL-encoded, JSON-escaped, base64 at
# every alignment, Basic editor:secret) found in the files' bytes, one a line.
leaks() {
    "$PYTHON" - "$ECHO_SECRET" "$@" <<'PY'
import base64, json, sys, urllib.parse
s = sys.argv[1]
forms = {s, urllib.parse.quote(s), urllib.parse.quote_plus(s), urllib.parse.quote(s, safe=""),
         json.dumps(s)[1:-1], json.dumps(s, ensure_ascii=False)[1:-1],
         json.dumps(s)[1:-1].replace("/", "\\/"),
         base64.b64encode(("editor:" + s).encode()).decode()}
raw = s.encode()
for shift in range(3):  # the base64 characters that carry only the secret's bits
    enc = base64.b64encode(b"\0" * shift + raw).decode()
    first, last = (8 * shift + 5) // 6, (8 * (shift + len(raw))) // 6
    forms.add(enc[first:last])
    forms.add(enc[first:last].replace("+", "-").replace("/", "_"))
for path in sys.argv[2:]:
    try:
        data = open(path, "rb").read()
    except FileNotFoundError:
        continue
    for f in sorted(forms):
        if f.encode() in data:
            print("%s holds %s" % (path, f))
PY
}

# echo_rules HOW PHASE: the fault rules of one round, each answer echoing the request in
# encoding HOW: at login (every request refused, the Bluesky password wrong) or later (the
# reads and the replies fail).
echo_rules() {
    fake_ctl "$("$PYTHON" - "$1" "$2" "$ECHO_SECRET" <<'PY'
import json, sys
how, phase, secret = sys.argv[1:]
def rule(match, status, **body):
    return {"match": match, "status": status, "echo": how, "times": -1, "body": body}
if phase == "login":
    password = "other"
    rules = {"m": [rule("/api/", 401, error="The access token is invalid")],
             "b": [],
             "w": [rule("wp/v2", 401, code="rest_not_logged_in",
                        message="You are not currently logged in.")]}
else:
    password = secret
    rules = {"m": [rule("/api/v1/notifications", 500, error="Oops"),
                   rule("/api/v1/statuses", 422, error="Validation failed")],
             "b": [rule("/xrpc/app.bsky", 500, error="InternalServerError", message="Oops"),
                   rule("/xrpc/com.atproto.repo", 400, error="InvalidRequest",
                        message="Bad record")],
             "w": [rule("wp/v2/comments", 500, code="internal_server_error", message="Oops")]}
print(json.dumps({"set": {"m": {"echo": how}, "b": {"echo": how, "password": password},
                          "w": {"echo": how}},
                  "rules": rules}))
PY
)"
}

# echo_tenants: the fake server's tenants, each expecting ECHO_SECRET.
echo_tenants() {
    "$PYTHON" - "$ECHO_SECRET" <<'PY'
import json, sys
s = sys.argv[1]
print(json.dumps({"tenants": {
    "m": {"platform": "mastodon", "token": s, "threads": 1, "replies": 1},
    "b": {"platform": "bluesky", "password": s, "threads": 1, "replies": 1},
    "w": {"platform": "wordpress", "password": s, "posts": 1, "comments": 1}}}))
PY
}

# echo_accounts: accounts m, b and w on the fake server, all reading ECHO_TOK.
echo_accounts() {
    for a in m:mastodon:editor b:bluesky:council.test w:wordpress:editor; do
        name=${a%%:*}
        rest=${a#*:}
        printf '[account %s]\nplatform = %s\nurl = %s/%s\nuser = %s\ntoken_env = ECHO_TOK\n\n' \
            "$name" "${rest%%:*}" "$FAKE" "$name" "${rest#*:}" >>"$TACTFUL_CONFIG"
    done
}

test_secrets_echoed_by_servers_are_redacted() {
    fake_start "$(echo_tenants)" || return 1
    echo_accounts
    export ECHO_TOK="$ECHO_SECRET" TACTFUL_HTTP_RETRIES=0
    run_all sync || fail "sync: $(cat "$WORK/all.out")" || return 1
    bsky_parent=at://did:plc:bob0test/app.bsky.feed.post/3k00000000002
    for how in raw json url base64; do
        for phase in login later; do
            echo_rules "$how" "$phase" || return 1
            enqueue "$(thread_of m 1002)" 1002 "Thanks." >/dev/null || return 1
            enqueue "$(thread_of b "$bsky_parent")" "$bsky_parent" "Thanks." >/dev/null || return 1
            enqueue "$(thread_of w 2)" 2 "Thanks." >/dev/null || return 1
            run_all sync && fail "sync should fail ($how, $phase)" && return 1
            run_all outbox send && fail "send should fail ($how, $phase)" && return 1
            run_all accounts check || true
            run_all accounts
            run_all outbox
        done
    done
    # No form of the secret in any output or any byte of the cache; the servers did echo it,
    # and tactful said what failed.
    expect_eq "" "$(leaks "$WORK/all.out" "$TACTFUL_DB" "$TACTFUL_DB-wal" "$TACTFUL_DB-shm")" \
        "forms of the secret found" || return 1
    expect_eq True "$(fake_py "sum(1 for e in log if 'Authorization' in e['headers']) > 20")" \
        "requests sent" || return 1
    grep -q 'HTTP 401.*\[redacted\]' "$WORK/all.out" ||
        fail "no redacted 401: $(head -c 2000 "$WORK/all.out")" || return 1
    grep -q 'AuthenticationRequired.*\[redacted\]' "$WORK/all.out" ||
        fail "no redacted Bluesky login failure" || return 1
    grep -q 'HTTP 500.*\[redacted\]' "$WORK/all.out" || fail "no redacted 500" || return 1
    ! grep -saqE 'acc-b-|ref-b-' "$WORK/all.out" "$TACTFUL_DB" "$TACTFUL_DB-wal" ||
        fail "a Bluesky session token was printed or stored" || return 1
    t audit --json >"$WORK/audit.json" 2>&1 || return 1
    expect_eq "" "$(leaks "$WORK/audit.json")" "forms of the secret in the audit log"
}

run_tests
