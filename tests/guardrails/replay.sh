#!/bin/sh
# Replays a blind batch against the rules and word models of the commit before it joined dev,
# so a change to the models' thresholds can be judged on replies nothing had been tuned on.
#
#   tests/guardrails/replay.sh BATCH [POLICY-LINES]
#
# BATCH is a file prefix in tests/guardrails/dev (d14, d23a ...). POLICY-LINES are added to
# tests/guardrails/policy as the batch joined with it, for example
#   '[tone.reads-like]\nthreshold = 2.5\n'   or   '[tone.reads-like]\nenabled = no\n'
# With TRAIN='ARGS' in the environment (train-model.py's arguments without the output file, e.g.
# TRAIN='--no-function-words --min-count 3 escalation post any'), that model is first remade in
# the replayed tree by this tree's train-model.py from that day's dev, to judge a new way of
# training on replies the model had not seen.
# It prints the corpus test's table for the batch alone (both columns are the batch). Run it
# from the top of a git clone with history; it builds in a temporary worktree and removes it.
set -eu
[ $# -ge 1 ] || { echo "usage: tests/guardrails/replay.sh BATCH [POLICY-LINES]" >&2; exit 2; }
batch=$1
extra=${2-}
top=$(git rev-parse --show-toplevel)
cd "$top"
ls tests/guardrails/dev/"$batch"*-*.txt >/dev/null 2>&1 ||
    { echo "replay.sh: no files tests/guardrails/dev/$batch*-*.txt; name a batch that is in dev" >&2; exit 2; }
added=$(git log --diff-filter=A --format=%H -- "tests/guardrails/dev/$batch"*-*.txt | tail -n 1)
[ -n "$added" ] || { echo "replay.sh: $batch's files are not committed yet; commit them first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/wt" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --detach "$tmp/wt" "$added^" >/dev/null 2>&1
(cd "$tmp/wt" && make -j2 build/tests/model_guard_corpus_test >/dev/null 2>&1) ||
    { echo "replay.sh: the corpus test does not build at $added^" >&2; exit 1; }
if [ -n "${TRAIN-}" ]; then
    cp tests/guardrails/train-model.py "$tmp/wt/tests/guardrails/train-model.py"
    # The model is the first argument that is neither an option nor an option's number.
    model=$(echo "$TRAIN" | awk '{ for (i = 1; i <= NF; i++) { if ($i == "--min-count" || $i == "--keep") { i++; continue } if ($i !~ /^--/) { print $i; exit } } }')
    # shellcheck disable=SC2086 # TRAIN is a list of arguments
    python3 "$tmp/wt/tests/guardrails/train-model.py" $TRAIN "$tmp/wt/share/rules/$model.model" ||
        { echo "replay.sh: train-model.py $TRAIN failed" >&2; exit 1; }
fi
mkdir -p "$tmp/run/tests/guardrails/dev"
cp tests/guardrails/dev/"$batch"*-*.txt "$tmp/run/tests/guardrails/dev/"
ln -s dev "$tmp/run/tests/guardrails/test"
ln -s "$tmp/wt/share" "$tmp/run/share"
# The policy as the batch joined with it: its organisations' own sites are theirs, as an office's
# policy would list them.
git show "$added:tests/guardrails/policy" >"$tmp/run/tests/guardrails/policy"
printf '%b' "$extra" >>"$tmp/run/tests/guardrails/policy"
echo "$batch against $(git log -1 --format='%h %s' "$added^" | cut -c1-70)"
(cd "$tmp/run" && XDG_CACHE_HOME="$tmp/cache" "$tmp/wt/build/tests/model_guard_corpus_test" 2>/dev/null) |
    sed -n '/^guardrails labelled set/,/^  dev   clean replies flagged/p' || true
