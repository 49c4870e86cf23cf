#!/bin/sh
# `tactful report` over the hand-checked cache of tests/report_fixture.h (its comment works
# every figure out): the text table, JSON and CSV, with and without business hours, each
# grouping's rows, --offline and a review bundle, and its usage errors.
. "$(dirname "$0")/lib.sh"

FIXTURE=${FIXTURE:-$SRC/build/tests/helper_reportfixture}
export TZ=UTC

# The fixture in the test's cache, and business hours in its configuration.
setup_fixture() {
    "$FIXTURE" "$TACTFUL_DB" "$SRC/share/rules" || fail "cannot build the fixture"
    printf '[tactful]\nbusiness_hours = Mon-Fri 09:00-17:00\n' >"$TACTFUL_CONFIG"
}

PERIOD="--since 2026-11-02 --until 2026-11-15"

test_text_table() {
    setup_fixture || return 1
    expect_status 0 t report $PERIOD --by account || return 1
    expect_out '^Threads in from 2026-11-02 00:00 to 2026-11-16 00:00 UTC' || return 1
    expect_out '^BH: business hours only, Mon,Tue,Wed,Thu,Fri 09:00-17:00 local time$' || return 1
    expect_out '^ACCOUNT +IN +ANSWD +% +MEDIAN +P90 +BH-MED +BH-P90 +RET +ESC$' || return 1
    expect_out '^b +3 +2 +67% +20m +2d17h +20m +1h00m +0 +1$' || return 1
    expect_out '^m +4 +3 +75% +15h00m +18h00m +30m +2h00m +1 +1$' || return 1
    expect_out '^all +7 +5 +71% +15h00m +2d17h +30m +2h00m +1 +2$' || return 1
    expect_out '<1h 3   1-4h 2   4-8h 0   8-24h 0   1-3d 0   >3d 0' || return 1
    expect_out '^Returned by approval: 1$' || return 1
    expect_out '^  [0-9-]{10}  thread 2, draft 1 by sam.patel \(acknowledgement\)$' || return 1
    expect_out '^      lee.chan: Say which day the bins go out$' || return 1
    expect_out '^2026-11-02 +5 +0 +0 +0 +0 +0 +0$' || return 1
    expect_out '^2026-11-09 +8 +0 +0 +0 +0 +0 +0$' || return 1
    # Every line fits an 80-column terminal, reviewers' comments aside.
    long=$(grep -v '^      ' "$WORK/out" | awk 'length > 80' | head -1)
    expect_eq "" "$long" "a line over 80 columns" || return 1
}

test_text_without_business_hours() {
    setup_fixture || return 1
    : >"$TACTFUL_CONFIG"
    expect_status 0 t report $PERIOD || return 1
    expect_out '^ +IN +ANSWD +% +MEDIAN +P90 +RET +ESC$' || return 1
    expect_out '^all +7 +5 +71% +15h00m +2d17h +1 +2$' || return 1
    expect_no_out '^BH' || return 1
    expect_out '<1h 2   1-4h 0   4-8h 0   8-24h 2   1-3d 1   >3d 0' || return 1
}

test_json() {
    setup_fixture || return 1
    expect_status 0 t report $PERIOD --by officer --format json || return 1
    expect_eq "2026-11-02T00:00:00Z 2026-11-16T00:00:00Z officer" \
        "$(jpy '[j["since"], j["until"], j["by"]]')" "period" || return 1
    expect_eq "7 5 54000 234000 1800 7200 1 2" \
        "$(jpy '[j["total"][k] for k in ("in", "answered", "median_s", "p90_s", "median_business_s", "p90_business_s", "returned", "escalated")]')" \
        "total" || return 1
    expect_eq "- jo.khan sam.patel" "$(jpy '[g["group"] for g in j["groups"]]')" "groups" ||
        return 1
    expect_eq "5 3 54000 234000 1200 3600 0 2" \
        "$(jpy '[j["groups"][0][k] for k in ("in", "answered", "median_s", "p90_s", "median_business_s", "p90_business_s", "returned", "escalated")]')" \
        "officer -" || return 1
    expect_eq "1 1 64800 64800 7200 1" \
        "$(jpy '[j["groups"][2][k] for k in ("in", "answered", "median_s", "p90_s", "median_business_s", "returned")]')" \
        "officer sam.patel" || return 1
    expect_eq "3 2" "$(jpy '[j["total"]["histogram"][b] for b in ("<1h", "1-4h")]')" \
        "histogram" || return 1
    expect_eq "2 1 lee.chan sam.patel acknowledgement Say which day the bins go out" \
        "$(jpy '[j["returns"][0][k] for k in ("thread", "draft", "reviewer", "officer", "pattern", "comment")]')" \
        "returns" || return 1
    expect_eq "2026-11-02 5 2026-11-09 8" \
        "$(jpy '[x for w in j["backlog"] for x in (w["week"], w["new"])]')" "backlog" || return 1
    expect_eq "14 2 2" "$(jpy '[len(j["volume"]), j["volume"][0]["in"], j["volume"][4]["in"]]')" \
        "volume" || return 1
}

test_csv_by_tag_and_week() {
    setup_fixture || return 1
    expect_status 0 t report $PERIOD --by tag --format csv || return 1
    expect_eq "group,in,answered,median_s,p90_s,median_business_s,p90_business_s,returned,escalated" \
        "$(head -1 "$WORK/out" | tr -d '\r')" "csv header" || return 1
    expect_eq "\"'-\",5,3,54000,64800,1200,7200,1,2|\"bins\",2,2,1800,234000,1800,3600,0,0|\"roads\",1,1,234000,234000,3600,3600,0,0|\"all\",7,5,54000,234000,1800,7200,1,2" \
        "$(tail -n +2 "$WORK/out" | tr -d '\r' | paste -sd '|')" "csv rows" || return 1
    : >"$TACTFUL_CONFIG"
    expect_status 0 t report $PERIOD --by week --format csv || return 1
    expect_eq '"2026-11-02",4,4,54000,234000,,,1,0|"2026-11-09",3,1,1200,1200,,,0,2|"all",7,5,54000,234000,,,1,2' \
        "$(tail -n +2 "$WORK/out" | tr -d '\r' | paste -sd '|')" "csv by week" || return 1
}

test_pattern_and_platform() {
    setup_fixture || return 1
    expect_status 0 t report $PERIOD --by pattern || return 1
    expect_out '^- +6 +4 ' || return 1
    expect_out '^acknowledgement +1 +1 +100% +18h00m +18h00m +2h00m +2h00m +1 +0$' || return 1
    expect_status 0 t report $PERIOD --by platform || return 1
    expect_out '^bluesky +3 +2 ' || return 1
    expect_out '^mastodon +4 +3 ' || return 1
}

# Read-only: --offline, a cache that cannot be written, and a review bundle.
test_offline_readonly_and_bundle() {
    setup_fixture || return 1
    before=$(sqlite3 "$TACTFUL_DB" 'SELECT count(*) FROM audit')
    expect_status 0 t --offline report $PERIOD --format csv || return 1
    expect_out '^"all",7,5,' || return 1
    expect_eq "$before" "$(sqlite3 "$TACTFUL_DB" 'SELECT count(*) FROM audit')" "audit entries" ||
        return 1
    expect_status 0 t export --bundle "$WORK/review.tactful" --thread 1 --thread 2 || return 1
    expect_status 0 t --db "$WORK/review.tactful" --offline report $PERIOD --format csv ||
        return 1
    # A bundle carries no outbox: thread 2's reply, sent by tactful and never synced back as
    # the office's own post, is not seen there, so only thread 1 is answered.
    expect_out '^"all",2,1,1800,1800,1800,1800,1,0' || return 1
}

test_usage_errors() {
    expect_status 2 t report --by colour || return 1
    expect_err "--by takes account, officer, pattern, tag, week or platform, not 'colour'" ||
        return 1
    expect_status 2 t report --format xml || return 1
    expect_err "--format takes text, json or csv" || return 1
    expect_status 2 t report --since yesterday || return 1
    expect_err "--since 'yesterday' is not a date" || return 1
    expect_status 2 t report --since 2026-11-10 --until 2026-11-01 || return 1
    expect_err "--since must come before --until" || return 1
    printf '[tactful]\nbusiness_hours = Mon-Fri 17:00-09:00\n' >"$TACTFUL_CONFIG"
    expect_status 2 t report || return 1
    expect_err "business_hours in \[tactful\]: 'Mon-Fri 17:00-09:00' closes before it opens" ||
        return 1
}

test_empty_cache() {
    expect_status 0 t report || return 1
    expect_out '^all +0 +0 +- +- +- +0 +0$' || return 1
    expect_status 0 t report --format json || return 1
    expect_eq "0 None" "$(jpy '[j["total"]["in"], j["total"]["median_s"]]')" "empty" || return 1
}

run_tests
