#!/bin/sh
# parse_asan_skip.sh - `dyad parse` writes well-formed CoNLL-U; `dyad eval parse` on UD English
# EWT test stays above its floors.  Run as: sh FILE DYAD_BINARY SHARED_DIR BUILD_DIR
DYAD=${1:-build/dyad}
SHARED=${2:-../shared}
BUILD=${3:-build}
TMP=$BUILD/test-parse.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
MODEL=models/dyad-en.model

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3"; fi; }

# Structural CoNLL-U check: 10 columns, IDs 1..n in order, heads in 0..n, one root per
# sentence, a tag and a relation on every token; prints the first problem, or nothing.
conllu_problems() {
    awk -F'\t' '
        function end_sentence() {
            if (n > 0) {
                if (roots != 1) { print "sentence ending at line " NR ": " roots " roots"; bad = 1; exit }
                for (i = 1; i <= n; i++)
                    if (head[i] > n) { print "line " hl[i] ": head " head[i] " > " n; bad = 1; exit }
                sentences++
            }
            n = 0; roots = 0
        }
        /^#/ { next }
        /^$/ { end_sentence(); next }
        {
            if (NF != 10) { print "line " NR ": " NF " columns"; bad = 1; exit }
            n++
            if ($1 != n) { print "line " NR ": id " $1 ", expected " n; bad = 1; exit }
            if ($7 !~ /^[0-9]+$/) { print "line " NR ": head " $7; bad = 1; exit }
            head[n] = $7 + 0; hl[n] = NR
            if ($7 == $1) { print "line " NR ": token is its own head"; bad = 1; exit }
            if ($7 == 0) { roots++; if ($8 != "root") { print "line " NR ": head 0 but " $8; bad = 1; exit } }
            if ($4 == "_" || $8 == "_") { print "line " NR ": missing tag or relation"; bad = 1; exit }
        }
        END { if (!bad) { end_sentence(); if (sentences == 0) print "no sentences" } }
    ' "$1"
}

cat > "$TMP/news.txt" <<'EOF'
Russia on Monday warned the United States that it would retaliate if the two diplomatic
compounds were not returned. "We are running out of patience," Deputy Foreign Minister
Sergei Ryabkov told reporters in Moscow.

The talks in Washington ended without a deal, officials said.
EOF
"$DYAD" parse --model "$MODEL" "$TMP/news.txt" > "$TMP/news.conllu" 2> "$TMP/err"
rc=$?
check "parse: a small news text exits 0" $rc "exit $rc: $(head -n 1 "$TMP/err")"
p=$(conllu_problems "$TMP/news.conllu")
check "parse: output is well-formed CoNLL-U" "$([ -z "$p" ]; echo $?)" "$p"
n=$(grep -c '^# text = ' "$TMP/news.conllu")
check "parse: three sentences with # text" "$([ "$n" = 3 ]; echo $?)" "got $n"
n=$(grep -c '^# sent_id = ' "$TMP/news.conllu")
check "parse: every sentence has a # sent_id" "$([ "$n" = 3 ]; echo $?)" "got $n"
grep -q "	Moscow	Moscow	PROPN	NNP	" "$TMP/news.conllu"
check "parse: lemma and tags filled (Moscow PROPN NNP)" $? "$(grep Moscow "$TMP/news.conllu")"
grep -q "^[0-9]*	patience	.*SpaceAfter=No$" "$TMP/news.conllu"
check "parse: SpaceAfter=No in MISC" $? "$(grep patience "$TMP/news.conllu")"

# CoNLL-U input: the given sentences and tokens are kept
cat > "$TMP/in.conllu" <<'EOF'
# text = The talks failed.
1	The	_	_	_	_	_	_	_	_
2	talks	_	_	_	_	_	_	_	_
3	failed	_	_	_	_	_	_	_	SpaceAfter=No
4	.	_	_	_	_	_	_	_	_

# text = Moscow's reply came fast
1	Moscow	_	_	_	_	_	_	_	SpaceAfter=No
2	's	_	_	_	_	_	_	_	_
3	reply	_	_	_	_	_	_	_	_
4	came	_	_	_	_	_	_	_	_
5	fast	_	_	_	_	_	_	_	_

EOF
"$DYAD" parse --model "$MODEL" --input conllu --quiet "$TMP/in.conllu" > "$TMP/out.conllu" 2> "$TMP/err"
rc=$?
check "parse --input conllu exits 0" $rc "exit $rc: $(head -n 1 "$TMP/err")"
p=$(conllu_problems "$TMP/out.conllu")
check "parse --input conllu: well-formed" "$([ -z "$p" ]; echo $?)" "$p"
forms=$(awk -F'\t' '/^[0-9]/ { printf "%s ", $2 }' "$TMP/out.conllu")
check "parse --input conllu: tokens kept" \
    "$([ "$forms" = "The talks failed . Moscow 's reply came fast " ]; echo $?)" "got '$forms'"
grep -q "^# text = Moscow's reply came fast$" "$TMP/out.conllu"
check "parse --input conllu: # text kept" $? "$(grep '^# text' "$TMP/out.conllu" | tail -n 1)"
line=$(grep "^2	talks	" "$TMP/out.conllu")
check "parse --input conllu: 'talks' is the nsubj of 'failed'" \
    "$(printf '%s\n' "$line" | awk -F'\t' '{ exit !($7 == 3 && $8 == "nsubj") }'; echo $?)" "$line"

# a missing or damaged model: one error line naming the file, exit 4
"$DYAD" parse --model "$TMP/none.model" "$TMP/news.txt" > /dev/null 2> "$TMP/err"
rc=$?
lines=$(wc -l < "$TMP/err")
check "parse: missing model exits 4 with one line naming it" \
    "$([ $rc = 4 ] && [ "$lines" = 1 ] && grep -q "none.model" "$TMP/err"; echo $?)" \
    "exit $rc, $(cat "$TMP/err")"
head -c 5000 "$MODEL" > "$TMP/cut.model"
DYAD_MODEL="$TMP/cut.model" "$DYAD" parse "$TMP/news.txt" > /dev/null 2> "$TMP/err"
rc=$?
check "parse: truncated model (via DYAD_MODEL) exits 4 naming it" \
    "$([ $rc = 4 ] && grep -q "cut.model" "$TMP/err"; echo $?)" "exit $rc, $(cat "$TMP/err")"

# accuracy on UD English EWT test (gold tokens)
TEST=$SHARED/ud/en_ewt-ud-test.conllu
if [ ! -f "$TEST" ]; then
    echo "SKIP eval parse: $TEST not found"
    exit 0
fi
"$DYAD" eval parse --model "$MODEL" --repeat 1 --floor-upos 95.4 --floor-uas 85.3 --floor-las 82.2 \
    "$TEST" > "$TMP/eval" 2> "$TMP/err"
rc=$?
check "eval parse: UPOS, UAS and LAS above their floors" $rc \
    "exit $rc: $(tr '\n' ' ' < "$TMP/eval") $(cat "$TMP/err")"
