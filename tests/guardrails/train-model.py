#!/usr/bin/env python3
"""Trains a guardrail word model (kind = model) on the labelled replies of the dev split only.

    python3 tests/guardrails/train-model.py [--no-digits] [--no-function-words]
        [--min-count N] [--keep N] [--decay X] CATEGORY post|draft errors|any OUT.model

A record is positive when its errors: (errors) or its errors: or warns: (any) name CATEGORY; the text is the post answered
(context:) or the reply (the draft). Features are the words and word pairs of the text,
lower-cased (ASCII), split on anything but letters, digits and apostrophes, with a light suffix
strip; model/guard_model.c computes the same ones. With --no-digits, features holding a digit
are left out (the personal-data model: numbers are the PII scanner's, and a model that weighs
them flags any list of numbers). With --no-function-words, single function words ("her", "with")
are left out, pairs holding them are kept (the escalation model; see FUNCTION_WORDS). With
--min-count N, features found in fewer than N records are left out: a word or pair seen once
can only learn that one record (the escalation model, N = 3: replayed on blind batches, it
flagged fewer clean posts at the same recall; tests/guardrails/README). The model keeps the
features of largest weight, 4,000 of them or --keep N (the tone model, 16,000: cut at 4,000 its
weights near the cut were as large as most, so a few more dev records swapped many in and out).
With --decay X each step shrinks every weight it touches by X times the rate (default 0.0001; the
tone model, 0.001: replayed on two sets of blind batches, each against a model trained on the
dev split of the day before they joined it, it caught 7 more of 504 tone slips and flagged 1
fewer of 2,820 clean replies; the other models showed no gain and keep the default).
Logistic
regression trained from SEEDS fixed shuffle orders and averaged, so the same data gives the same
file (make check compares the shipped model with a fresh run) and one new batch of dev records,
by reordering the shuffle, moves the decisions on unseen text less than a single order would.
"""
import glob, math, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS, EPOCHS, RATE, DECAY, KEEP = 5, 6, 0.1, 1e-4, 4000
LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ\u2018\u2019", "abcdefghijklmnopqrstuvwxyz''")


def records(paths):
    out = []
    for path in paths:
        cur = None
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("=== "):
                    cur = {"h": {}, "d": "", "in": False}
                    out.append(cur)
                elif cur is None:
                    continue
                elif cur["in"]:
                    if not (line.startswith("# ") or line.rstrip("\n") == "#"):
                        cur["d"] += line  # "# " lines are comments, as in tests/guardtest.h
                elif line.strip() == "---":
                    cur["in"] = True
                elif ":" in line and not line.startswith("#"):
                    k, v = line.split(":", 1)
                    cur["h"].setdefault(k.strip(), []).append(v.strip())
    return out


def strip(w):
    for s in ("ing", "ed", "es", "s", "ly"):
        if len(w) > len(s) + 3 and w.endswith(s):
            return w[: -len(s)]
    return w


def words(text):
    out, cur = [], []
    for ch in text.translate(LOWER):
        if ("a" <= ch <= "z") or ("0" <= ch <= "9") or ch == "'":
            cur.append(ch)
        elif cur:
            out.append(strip("".join(cur)))
            cur = []
    if cur:
        out.append(strip("".join(cur)))
    return out


# Function words: with --no-function-words they are no features on their own (pairs keep them:
# "you're next" still counts). Alone they measure how long a post is, not what it says: the
# escalation model, trained on posts where the ones needing a human ran longer, had learnt to
# flag any long story ("please thank them from all of us") once writers told longer ones.
FUNCTION_WORDS = set("""a about above after again against all am an and any are aren't as at be
because been before being below between both but by can can't cannot could couldn't did didn't do
does doesn't doing don't down during each few for from further had hadn't has hasn't have haven't
having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off
on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's
should shouldn't so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those through to too under until up very
was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
while who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your
yours yourself yourselves dont cant wont didnt doesnt isnt wasnt havent hasnt youre theyre thats
whats""".split())
FUNCTION_FEATURES = frozenset(FUNCTION_WORDS | {strip(w) for w in FUNCTION_WORDS})


def features(text, digits=True, function_words=True):
    ws = words(text)
    feats = set(ws) | {a + " " + b for a, b in zip(ws, ws[1:])}
    if not function_words:
        feats -= FUNCTION_FEATURES
    if not digits:
        feats = {f for f in feats if not any("0" <= ch <= "9" for ch in f)}
    return sorted(feats)


def fit(data, up, seed, decay):
    """One run of stochastic gradient descent over data in the shuffle order of seed."""
    w, b = {}, 0.0
    order = list(range(len(data)))
    rnd = random.Random(seed)
    for _ in range(EPOCHS):
        rnd.shuffle(order)
        for i in order:
            x, y = data[i]
            z = max(-30.0, min(30.0, b + sum(w.get(f, 0.0) for f in x)))
            g = (1 / (1 + math.exp(-z)) - y) * (up if y else 1.0)
            b -= RATE * g
            for f in x:
                w[f] = w.get(f, 0.0) * (1 - RATE * decay) - RATE * g
    return w, b


def decay_option(args, default):
    """The weight decay after --decay in args (both taken out of args), or default."""
    if "--decay" not in args:
        return default
    i = args.index("--decay")
    try:
        value = float(args[i + 1])
    except (IndexError, ValueError):
        value = -1.0
    if not 0 < value < 1:
        sys.exit("train-model.py: --decay needs a number between 0 and 1, such as 0.001")
    del args[i : i + 2]
    return value


def number_option(args, name, default):
    """The whole number after name in args (both taken out of args), or default."""
    if name not in args:
        return default
    i = args.index(name)
    if i + 1 >= len(args) or not (args[i + 1].isascii() and args[i + 1].isdigit()) \
            or int(args[i + 1]) < 1:
        sys.exit("train-model.py: %s needs a whole number of 1 or more" % name)
    value = int(args[i + 1])
    del args[i : i + 2]
    return value


def main():
    args = sys.argv[1:]
    digits = "--no-digits" not in args
    function_words = "--no-function-words" not in args
    args = [a for a in args if a not in ("--no-digits", "--no-function-words")]
    min_count = number_option(args, "--min-count", 1)
    keep = number_option(args, "--keep", KEEP)
    decay = decay_option(args, DECAY)
    if len(args) != 4 or args[1] not in ("post", "draft") or args[2] not in ("errors", "any"):
        sys.exit("usage: train-model.py [--no-digits] [--no-function-words] [--min-count N] "
                 "[--keep N] [--decay X] CATEGORY post|draft errors|any OUT.model")
    cat, which, level, out = args
    data = []
    for r in records(sorted(glob.glob(os.path.join(HERE, "dev", "*.txt")))):
        if "fits" in r["h"]:
            continue
        text = " ".join(r["h"].get("context", [])) if which == "post" else r["d"]
        if not text.strip():
            continue
        labels = r["h"].get("errors", []) + ([] if level == "errors" else r["h"].get("warns", []))
        labels = " ".join(labels).split()
        data.append((features(text, digits, function_words), 1 if cat in labels else 0))
    if min_count > 1:
        seen = {}
        for x, _ in data:
            for f in x:
                seen[f] = seen.get(f, 0) + 1
        data = [([f for f in x if seen[f] >= min_count], y) for x, y in data]
    pos = sum(y for _, y in data)
    if pos == 0:
        sys.exit("no dev record is labelled " + cat)
    up = (len(data) - pos) / pos * 0.5
    w, b = {}, 0.0
    for seed in range(1, SEEDS + 1):
        ws, bs = fit(data, up, seed, decay)
        for f, v in ws.items():
            w[f] = w.get(f, 0.0) + v / SEEDS
        b += bs / SEEDS
    kept = sorted(w.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:keep]
    with open(out, "w", encoding="utf-8") as f:
        f.write("# tactful word model for %s (%s), read from the %s; made by\n" % (cat, level, which))
        f.write("# tests/guardrails/train-model.py from %d dev records (%d labelled %s).\n"
                % (len(data), pos, cat))
        f.write("bias %.4f\n" % b)
        for feat, weight in sorted(kept, key=lambda kv: kv[0]):
            if round(weight, 4) != 0:
                f.write("%.4f %s\n" % (weight, feat))


if __name__ == "__main__":
    main()
