#!/bin/sh
# eval_segment_asan_skip.sh - `dyad eval segment` on the UD English EWT test set stays above
# its floors (about 0.3 points under the figures of docs/segmentation.md), and its errors.
# Usage: sh test/sh/eval_segment_asan_skip.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the root)
DYAD=$1
SHARED=${2:-../shared}
FLOOR_TOKEN=98.9
FLOOR_SENTENCE=86.9
DATA=$SHARED/ud/en_ewt-ud-test.conllu

if [ ! -x "$DYAD" ]; then
    echo "FAIL eval segment: no binary $DYAD"
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-evalseg.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

# a missing file is one clear error line and a failure status
"$DYAD" eval segment "$T/missing.conllu" > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -ne 0 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q '^dyad: error: .*missing.conllu' "$T/err"; then
    echo "PASS eval segment: a missing file is a one-line error"
else
    echo "FAIL eval segment: a missing file gave status $rc and: $(cat "$T/err")"
fi

if [ ! -f "$DATA" ]; then
    echo "SKIP eval segment: $DATA not found (../shared missing)"
    exit 0
fi

"$DYAD" eval segment --floor-token $FLOOR_TOKEN --floor-sentence $FLOOR_SENTENCE "$DATA" \
    > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 0 ]; then
    echo "PASS eval segment: token F1 >= $FLOOR_TOKEN and sentence F1 >= $FLOOR_SENTENCE on en_ewt-ud-test"
else
    echo "FAIL eval segment: below the floors (status $rc): $(tr '\n' ' ' < "$T/out") $(cat "$T/err")"
fi
if grep -q '^tokens: P [0-9.]* R [0-9.]* F1 [0-9.]* (25094 gold' "$T/out" &&
   grep -q '^sentences: P [0-9.]* R [0-9.]* F1 [0-9.]* (2077 gold' "$T/out" &&
   grep -q '^speed: ' "$T/out"; then
    echo "PASS eval segment: prints token, sentence and speed figures for 25094 gold tokens"
else
    echo "FAIL eval segment: unexpected report: $(tr '\n' ' ' < "$T/out")"
fi

# the floors can fail
"$DYAD" eval segment --repeat 1 --floor-token 100 "$DATA" > /dev/null 2> "$T/err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'below the floor' "$T/err"; then
    echo "PASS eval segment: a floor above the score exits 1"
else
    echo "FAIL eval segment: --floor-token 100 gave status $rc"
fi
