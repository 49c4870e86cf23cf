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

run_tests
