#!/bin/sh
# Configuration and cache location: config errors, --config/--db and their environment
# variables, the default paths and permissions, caches tactful must refuse, and --demo.
. "$(dirname "$0")/lib.sh"

# A configuration with an unknown key on line 3 and an unknown platform on line 7.
write_bad_config() {
    cat >"$1" <<'EOF'
[tactful]
officer = Sam Patel
colour = blue
[account social]
url = https://social.example
token_env = SOCIAL_TOKEN
platform = myspace
EOF
}

test_bad_config_reports_both_lines_and_exits_2() {
    write_bad_config "$TACTFUL_CONFIG"
    expect_status 2 t list || return 1
    expect_err "^$TACTFUL_CONFIG:3: unknown key 'colour' in \[tactful\]" || return 1
    expect_err "^$TACTFUL_CONFIG:7: unknown platform 'myspace' in \[account social\]" || return 1
    expect_err '^tactful: fix the configuration, or point --config elsewhere$' || return 1
    [ ! -s "$WORK/out" ] || fail "stdout not empty: $(head -c 200 "$WORK/out")"
}

# The live inbox's keys: good values pass `tactful check`, bad ones stop it with their line.
test_sync_interval_and_notify_are_checked() {
    printf 'Thanks for getting in touch.\n' >"$WORK/draft.txt"
    printf '[tactful]\nsync_interval = 15m\nnotify = osc9\n[account m]\nplatform = mastodon\nurl = https://m.example\ntoken_env = T\nsync_interval = 0\n' >"$TACTFUL_CONFIG"
    expect_status 0 t check "$WORK/draft.txt" || return 1
    printf '[tactful]\nsync_interval = 5 minutes\nnotify = loud\n[account m]\nplatform = mastodon\nurl = https://m.example\ntoken_env = T\nsync_interval = 1s\n' >"$TACTFUL_CONFIG"
    expect_status 2 t check "$WORK/draft.txt" || return 1
    expect_err "^$TACTFUL_CONFIG:2: sync_interval in \[tactful\]: '5 minutes' is not an interval from 30 seconds to 24 hours; write such as 90s, 5m or 1h, or 0 for never$" || return 1
    expect_err "^$TACTFUL_CONFIG:3: notify 'loud' in \[tactful\] is not one of off, bell, osc9, osc777$" || return 1
    expect_err "^$TACTFUL_CONFIG:8: sync_interval in \[account m\]: '1s' is not an interval" || return 1
}

test_bad_config_stops_every_command_before_the_cache() {
    write_bad_config "$TACTFUL_CONFIG"
    for cmd in "list" "search grit" "show 1" "mark 1 closed" "tag 1 +x" "assign 1 al" \
        "priority 1 2" "snooze 1 off" "note 1 hi" "audit" "import $DEMO" "export"; do
        # shellcheck disable=SC2086 # split the command on purpose
        expect_status 2 t $cmd || return 1
        expect_err "^$TACTFUL_CONFIG:3: " || return 1
        expect_err "^$TACTFUL_CONFIG:7: " || return 1
    done
    [ ! -e "$TACTFUL_DB" ] || fail "the cache was created despite the bad configuration"
}

test_bad_config_given_with_option() {
    write_bad_config "$WORK/other.conf"
    expect_status 2 t --config "$WORK/other.conf" list || return 1
    expect_err "^$WORK/other\.conf:3: " || return 1
    expect_err "^$WORK/other\.conf:7: "
}

test_config_option_to_missing_file_exits_2() {
    expect_status 2 t --config /nonexistent list || return 1
    expect_err '^cannot read config /nonexistent: No such file or directory' || return 1
    [ ! -e "$TACTFUL_DB" ] || fail "the cache was created"
}

test_config_env_to_missing_file_exits_2() {
    TACTFUL_CONFIG="$WORK/missing.conf" expect_status 2 t list || return 1
    expect_err "cannot read config $WORK/missing\.conf"
}

test_missing_default_config_is_fine() {
    unset TACTFUL_CONFIG
    [ ! -e "$XDG_CONFIG_HOME/tactful/config" ] || fail "default config exists" || return 1
    import_demo || return 1
    expect_status 0 t list --json || return 1
    expect_eq 40 "$(jpy 'len(j)')" "threads"
}

test_default_config_is_read_from_xdg_config_home() {
    unset TACTFUL_CONFIG TACTFUL_OFFICER
    mkdir -p "$XDG_CONFIG_HOME/tactful"
    printf '[tactful]\nofficer = Default Officer\n' >"$XDG_CONFIG_HOME/tactful/config"
    import_demo || return 1
    t mark 1 closed >/dev/null || return 1
    expect_status 0 t audit --json || return 1
    expect_eq "Default Officer" "$(jpy 'j[0]["officer"]')" "officer from the default config"
}

test_bad_default_config_exits_2() {
    unset TACTFUL_CONFIG
    mkdir -p "$XDG_CONFIG_HOME/tactful"
    write_bad_config "$XDG_CONFIG_HOME/tactful/config"
    expect_status 2 t list || return 1
    expect_err "^$XDG_CONFIG_HOME/tactful/config:3: "
}

test_db_option_chooses_the_cache() {
    expect_status 0 t --db "$WORK/other.db" import "$DEMO" || return 1
    [ -f "$WORK/other.db" ] || fail "--db file not created" || return 1
    [ ! -e "$TACTFUL_DB" ] || fail "TACTFUL_DB was used despite --db" || return 1
    expect_status 0 t --db "$WORK/other.db" list --json || return 1
    expect_eq 40 "$(jpy 'len(j)')" "threads in the --db cache" || return 1
    expect_status 0 t list --json || return 1
    expect_eq 0 "$(jpy 'len(j)')" "threads in the TACTFUL_DB cache"
}

test_tactful_db_env_chooses_the_cache() {
    TACTFUL_DB="$WORK/env.db" t import "$DEMO" 2>/dev/null || return 1
    [ -f "$WORK/env.db" ] || fail "TACTFUL_DB file not created" || return 1
    TACTFUL_DB="$WORK/env.db" expect_status 0 t list --json || return 1
    expect_eq 40 "$(jpy 'len(j)')" "threads in the TACTFUL_DB cache"
}

test_db_option_accepts_equals_form() {
    expect_status 0 t --db="$WORK/eq.db" import "$DEMO" || return 1
    [ -f "$WORK/eq.db" ] || fail "--db=PATH not used" || return 1
    [ ! -e "$TACTFUL_DB" ] || fail "TACTFUL_DB was used despite --db=PATH"
}

test_empty_tactful_db_counts_as_unset() {
    TACTFUL_DB='' expect_status 0 t list || return 1
    [ -f "$XDG_DATA_HOME/tactful/cache.db" ] || fail "empty TACTFUL_DB did not use the default"
}

test_relative_xdg_data_home_falls_back_to_home() {
    unset TACTFUL_DB
    XDG_DATA_HOME=relative/data expect_status 0 t list || return 1
    [ -f "$HOME/.local/share/tactful/cache.db" ] || fail "no cache under \$HOME/.local/share" ||
        return 1
    [ ! -e "$WORK/relative" ] || fail "a relative XDG_DATA_HOME was used"
}

test_config_that_is_a_folder_exits_2() {
    mkdir "$WORK/conf.d"
    expect_status 2 t --config "$WORK/conf.d" list || return 1
    expect_err "^cannot read config $WORK/conf\.d: "
}

# odd_files: a FIFO (no writer: opening it for reading would wait for ever), a folder and a
# file of 1 MiB and one byte, in $WORK; /dev/zero is the fourth odd file.
odd_files() {
    mkfifo "$WORK/fifo" && mkdir -p "$WORK/folder" &&
        head -c 1048577 /dev/zero | tr '\0' '#' >"$WORK/big"
}

# refuses_quickly STATUS WHY ARGS...: tactful ARGS ends within 60 s (a hang is a failure,
# however busy the machine) with STATUS and WHY on its standard error.
refuses_quickly() {
    _want=$1 _why=$2
    shift 2
    expect_status "$_want" timeout 60 ${TACTFUL_WRAP:-} "$TACTFUL" "$@" || return 1
    expect_err "$_why"
}

test_config_that_is_not_a_regular_file_or_too_large_exits_2() {
    odd_files || return 1
    refuses_quickly 2 '^cannot read config /dev/zero: it is not a regular file \(a device, a FIFO or a socket\); name a readable configuration file with --config$' \
        --config /dev/zero list || return 1
    refuses_quickly 2 "^cannot read config $WORK/fifo: it is not a regular file" \
        --config "$WORK/fifo" list || return 1
    refuses_quickly 2 "^cannot read config $WORK/folder: it is a folder, not a file" \
        --config "$WORK/folder" list || return 1
    refuses_quickly 2 "^cannot read config $WORK/big: it is larger than 1 MiB; a configuration file is at most 1 MiB" \
        --config "$WORK/big" list || return 1
    TACTFUL_CONFIG=/dev/zero refuses_quickly 2 'fix the configuration' list
}

test_rules_patterns_and_keymaps_that_are_not_regular_files_are_refused() {
    odd_files || return 1
    echo "Thank you for telling us." >reply.txt
    for f in /dev/zero "$WORK/fifo" "$WORK/folder" "$WORK/big"; do
        refuses_quickly 2 "^cannot read the office policy $f: it is (not a regular file|a folder|larger than 1 MiB)" \
            check --policy "$f" reply.txt || return 1
        refuses_quickly 2 "^$f: cannot read the keymap: it is (not a regular file|a folder|larger than 1 MiB)" \
            keys --check "$f" || return 1
        printf '[tactful]\nkeymap = %s\n' "$f" >"$WORK/config.k"
        refuses_quickly 2 "cannot read the keymap" --config "$WORK/config.k" keys || return 1
    done
    # The officer's own rules file beside the configuration, and a pattern file.
    mkfifo "$WORK/rules" && mkdir -p "$WORK/pats" && mkfifo "$WORK/pats/x.pattern" || return 1
    refuses_quickly 2 "cannot read the (user|officer).* $WORK/rules: it is not a regular file" \
        check reply.txt || return 1
    rm "$WORK/rules"
    printf '[tactful]\npatterns = %s\n' "$WORK/pats" >"$TACTFUL_CONFIG"
    refuses_quickly 2 "^cannot read $WORK/pats/x\.pattern: it is not a regular file" patterns
}

test_import_and_bundle_of_odd_files_end_quickly() {
    odd_files || return 1
    refuses_quickly 1 '/dev/zero:1: line longer than 2097152 bytes; nothing from /dev/zero was imported' \
        import /dev/zero || return 1
    refuses_quickly 1 "cannot import $WORK/folder: it is a folder, not a file" \
        import "$WORK/folder" || return 1
    refuses_quickly 1 "cannot open the bundle $WORK/fifo: it is not a regular file" \
        import --bundle "$WORK/fifo" || return 1
    refuses_quickly 1 "cannot open the bundle /dev/zero: it is not a regular file" \
        import --bundle /dev/zero || return 1
    refuses_quickly 2 '/dev/zero is larger than 1 MiB' check /dev/zero
}

test_cache_that_is_not_a_regular_file_is_refused() {
    odd_files || return 1
    refuses_quickly 1 '^tactful: cannot open the cache /dev/zero: it is not a regular file \(a device, a FIFO or a socket\); name a cache file with --db$' \
        --db /dev/zero list || return 1
    refuses_quickly 1 "cannot open the cache $WORK/fifo: it is not a regular file" --db "$WORK/fifo" list || return 1
    refuses_quickly 1 "cannot open the cache $WORK/folder: it is a folder, not a file" --db "$WORK/folder" list
}

test_db_option_creates_missing_folders() {
    expect_status 0 t --db "$WORK/a/b/c.db" list || return 1
    [ -f "$WORK/a/b/c.db" ] || fail "cache not created in new folders" || return 1
    expect_eq 700 "$(stat -c %a "$WORK/a/b")" "mode of the new folder"
}

test_default_cache_is_private_under_xdg_data_home() {
    unset TACTFUL_DB
    (umask 022 && t import "$DEMO" 2>/dev/null) || fail "import failed" || return 1
    db="$XDG_DATA_HOME/tactful/cache.db"
    [ -f "$db" ] || fail "no cache at $db" || return 1
    expect_eq 600 "$(stat -c %a "$db")" "mode of the cache" || return 1
    expect_eq 700 "$(stat -c %a "$XDG_DATA_HOME/tactful")" "mode of its folder" || return 1
    expect_eq 181 "$(sqlite3 "$db" 'select count(*) from posts')" "posts in the default cache"
}


test_default_cache_without_xdg_data_home_is_under_home() {
    unset TACTFUL_DB XDG_DATA_HOME
    expect_status 0 t list || return 1
    [ -f "$HOME/.local/share/tactful/cache.db" ] || fail "no cache under \$HOME/.local/share"
}

test_newer_cache_is_refused_with_a_clear_message() {
    sqlite3 "$TACTFUL_DB" 'create table x (a); pragma user_version = 99;' || return 1
    expect_status 1 t list || return 1
    expect_err "the cache $TACTFUL_DB was written by a newer tactful \(schema 99" || return 1
    expect_eq 99 "$(sqlite3 "$TACTFUL_DB" 'pragma user_version')" "user_version afterwards"
}

# Refusing must not touch the file: switching it to WAL first would rewrite header bytes
# 19-20 and the change counter.
test_newer_cache_file_is_left_byte_for_byte() {
    sqlite3 "$TACTFUL_DB" 'create table x (a); pragma user_version = 99;' || return 1
    before=$(sha256sum <"$TACTFUL_DB")
    expect_status 1 t list || return 1
    expect_eq "$before" "$(sha256sum <"$TACTFUL_DB")" "sha256 of the newer cache" || return 1
    for f in "$TACTFUL_DB-wal" "$TACTFUL_DB-shm"; do
        [ ! -e "$f" ] || fail "$f left behind" || return 1
    done
}

test_non_database_file_is_refused_unchanged() {
    printf 'these are my notes, not a database\n' >"$TACTFUL_DB"
    before=$(sha256sum <"$TACTFUL_DB")
    expect_status 1 t list || return 1
    expect_err "^tactful: cannot open the cache $TACTFUL_DB: file is not a database; is it a tactful cache on a local disk\?$" ||
        return 1
    expect_eq "$before" "$(sha256sum <"$TACTFUL_DB")" "sha256 of the file"
}

test_demo_works_without_touching_the_cache() {
    mkdir "$WORK/tmp"
    TMPDIR="$WORK/tmp" expect_status 0 t --demo list --json || return 1
    expect_eq 40 "$(jpy 'len(j)')" "demo threads" || return 1
    [ ! -e "$TACTFUL_DB" ] || fail "--demo created TACTFUL_DB" || return 1
    expect_eq "" "$(ls -A "$WORK/tmp")" "left in TMPDIR"
}

test_demo_ignores_db_option() {
    mkdir "$WORK/tmp"
    TMPDIR="$WORK/tmp" expect_status 0 t --demo --db "$WORK/other.db" list --json || return 1
    expect_eq 40 "$(jpy 'len(j)')" "demo threads" || return 1
    [ ! -e "$WORK/other.db" ] || fail "--demo used --db"
}

test_demo_changes_are_private_and_cleaned_up() {
    mkdir "$WORK/tmp"
    TMPDIR="$WORK/tmp" expect_status 0 t --demo mark 1 closed || return 1
    TMPDIR="$WORK/tmp" expect_status 0 t --demo show 1 --json || return 1
    expect_eq new "$(jpy 'j["state"]')" "a fresh demo's state" || return 1
    TMPDIR="$WORK/tmp" expect_status 1 t --demo show 999 || return 1
    [ ! -e "$TACTFUL_DB" ] || fail "--demo created TACTFUL_DB" || return 1
    expect_eq "" "$(ls -A "$WORK/tmp")" "left in TMPDIR"
}

run_tests
