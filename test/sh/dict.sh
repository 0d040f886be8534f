#!/bin/sh
# dict.sh - `dyad dict check|compile|show`: the lint gate on the shipped dict/, file:line
# messages on bad fixtures, every line of the PETRARCH/Phoenix dictionaries read.
# Usage: sh test/sh/dict.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the repository root)
DYAD=$1
SHARED=${2:-../shared}
FIX=test/fixtures/dict

if [ ! -x "$DYAD" ]; then
    echo "FAIL dict: no binary $DYAD"
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-dict.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

# ---------------------------------------------------------------- the lint gate on dict/
if ls dict/*.txt > /dev/null 2>&1; then
    "$DYAD" dict check dict > "$T/out" 2> "$T/err"
    rc=$?
    if [ $rc -eq 0 ] && grep -q '^0 errors, ' "$T/out"; then
        echo "PASS dict check: dict/ has no errors ($(grep '^[0-9]* errors' "$T/out"))"
    else
        echo "FAIL dict check: dict/ exits $rc: $(grep -m 5 ': error: ' "$T/err" | tr '\n' ' ')"
    fi
    # the default path is the shipped dict/
    "$DYAD" dict check > "$T/out2" 2> /dev/null
    rc=$?
    if [ $rc -eq 0 ] && cmp -s "$T/out" "$T/out2"; then
        echo "PASS dict check: no PATH checks the shipped dict/"
    else
        echo "FAIL dict check: no PATH gave status $rc or another summary"
    fi
    "$DYAD" dict compile dict -o "$T/own.dict" 2> "$T/err"
    rc=$?
    if [ $rc -eq 0 ] && "$DYAD" dict show "$T/own.dict" > "$T/out" 2>&1 &&
       grep -q 'dyad, [0-9]* lines, 0 not read' "$T/out"; then
        echo "PASS dict compile: dict/ compiles and the compiled file shows its files"
    else
        echo "FAIL dict compile: status $rc: $(head -c 300 "$T/err")"
    fi
else
    echo "SKIP dict check: dict/ has no dictionaries yet"
fi

# ---------------------------------------------------------------- bad fixtures
"$DYAD" dict check $FIX/bad.txt $FIX/bad_verbs.txt $FIX/cameo.txt > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 3 ]; then
    echo "PASS dict check: a bad dictionary exits 3"
else
    echo "FAIL dict check: a bad dictionary exits $rc"
fi
missing=""
for want in "bad.txt:2: error: country 'Atlantis' has no code" \
            "bad.txt:7: error: unknown field 'colour'" \
            "bad.txt:10: error: Rufus T. Firefly: role FREELI overlaps the role FREGOV" \
            "bad.txt:12: error: code XYZGOV: XYZ is neither a country" \
            "bad.txt:14: error: agent code GOVWIZ: WIZ is not a CAMEO role code" \
            "bad.txt:15: error: cannot read this line" \
            "bad_verbs.txt:3: warning: pattern 'meet T' \[040\] repeats the one at $FIX/bad_verbs.txt:2" \
            "bad_verbs.txt:4: error: event code 999 is not in the CAMEO code table" \
            "bad_verbs.txt:5: error: set &nosuchset is not defined" \
            "bad_verbs.txt:6: error: 'T@home' is not a pattern element" \
            "bad_verbs.txt:7: error: pattern 'meet T' \[041\] is unreachable"; do
    grep -q "^$FIX/$want" "$T/err" || missing="$missing [$want]"
done
if [ -z "$missing" ]; then
    echo "PASS dict check: every mistake of the fixtures is reported as FILE:LINE"
else
    echo "FAIL dict check: missing messages:$missing"
fi
if grep -q '^10 errors, 1 warnings$' "$T/out"; then
    echo "PASS dict check: the summary counts 10 errors and 1 warning"
else
    echo "FAIL dict check: summary: $(tail -1 "$T/out")"
fi
if grep -q '^2 codes without patterns: 04 16$' "$T/out"; then
    echo "PASS dict check: lists the codes without patterns"
else
    echo "FAIL dict check: $(grep 'without patterns' "$T/out")"
fi

"$DYAD" dict check $FIX/bad_cameo.txt > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 3 ] && grep -q "bad_cameo.txt:3: error: code 04 is listed twice" "$T/err" &&
   grep -q "bad_cameo.txt:4: error: code 16: QuadClass 2, but root 16 is QuadClass 4" "$T/err" &&
   grep -q "bad_cameo.txt:5: error: '-12' is not a Goldstein value" "$T/err"; then
    echo "PASS dict check: code table mistakes"
else
    echo "FAIL dict check: code table: status $rc: $(cat "$T/err")"
fi

"$DYAD" dict show $FIX/bad.txt > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 3 ] && grep -q 'bad.txt: dyad, 15 lines, 3 not read' "$T/out"; then
    echo "PASS dict show: lines not read make the status 3"
else
    echo "FAIL dict show: bad.txt gave status $rc: $(head -2 "$T/out")"
fi

"$DYAD" dict compile $FIX/bad.txt -o "$T/bad.dict" 2> "$T/err"
rc=$?
if [ $rc -eq 3 ] && [ ! -f "$T/bad.dict" ]; then
    echo "PASS dict compile: lines not read: status 3 and nothing written"
else
    echo "FAIL dict compile: bad.txt gave status $rc"
fi

"$DYAD" dict check "$T/no-such-file.txt" > /dev/null 2> "$T/err"
rc=$?
if [ $rc -eq 3 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q 'no-such-file.txt' "$T/err"; then
    echo "PASS dict check: a missing file is one error line, status 3"
else
    echo "FAIL dict check: a missing file gave status $rc: $(cat "$T/err")"
fi

"$DYAD" dict frobnicate > /dev/null 2>&1
rc1=$?
"$DYAD" dict compile $FIX/cameo.txt > /dev/null 2>&1
rc2=$?
if [ $rc1 -eq 2 ] && [ $rc2 -eq 2 ]; then
    echo "PASS dict: usage errors exit 2"
else
    echo "FAIL dict: usage errors exit $rc1 and $rc2"
fi

# ---------------------------------------------------------------- TABARI fixtures
"$DYAD" dict show $FIX/sample.actors $FIX/sample.agents $FIX/sample.verbs > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 0 ] && grep -q 'sample.actors: tabari-actors, 24 lines, 0 not read' "$T/out" &&
   grep -q 'sample.agents: tabari-agents' "$T/out" &&
   grep -q 'sample.verbs: tabari-verbs, 20 lines, 0 not read' "$T/out" &&
   grep -q 'patterns 6, verbs 5, sets 1' "$T/out"; then
    echo "PASS dict show: TABARI .actors/.agents/.verbs"
else
    echo "FAIL dict show: TABARI fixtures: status $rc: $(cat "$T/out" "$T/err" | head -8 | tr '\n' ' ')"
fi

# ---------------------------------------------------------------- PETRARCH / Phoenix
D=$SHARED/petrarch2/dictionaries
if [ ! -d "$D" ]; then
    echo "SKIP dict show: $D not found (../shared missing)"
    exit 0
fi
"$DYAD" dict show -q "$D" > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 0 ] && grep -q '^13 files, [0-9]* lines, 0 not read$' "$T/out"; then
    echo "PASS dict show: every line of the 13 PETRARCH/Phoenix dictionaries is read"
else
    echo "FAIL dict show: status $rc: $(tail -1 "$T/out") $(head -3 "$T/err" | tr '\n' ' ')"
fi
missing=""
for f in CAMEO.2.0.txt:petrarch2-verbs CAMEO.verbpatterns.150430.txt:petrarch1-verbs \
         PETR.Validate.actors.txt:petrarch-actors PETR.Validate.agents.txt:petrarch-agents \
         PETR.Validate.discards.txt:petrarch-discards PETR.Validate.verbs.txt:petrarch1-verbs \
         Phoenix.Countries.actors.txt:petrarch-actors Phoenix.agents.txt:petrarch-agents \
         Phoenix.IssueCoding.txt:phoenix-issues Phoenix.prepositions.txt:word-list; do
    name=${f%%:*}
    format=${f#*:}
    if ! grep -q "/$name: $format, " "$T/out"; then
        missing="$missing $name"
    fi
done
if [ -z "$missing" ]; then
    echo "PASS dict show: formats detected from the content"
else
    echo "FAIL dict show: wrong format for:$missing"
fi
# warnings name the genuinely broken lines (here: a pattern without a code)
"$DYAD" dict show "$D/CAMEO.verbpatterns.150430.txt" > /dev/null 2> "$T/err"
if grep -q "CAMEO.verbpatterns.150430.txt:5860: warning: pattern 'SAID \* AN OFFER + FOR TALKS' has no \[code\]: ignored" "$T/err"; then
    echo "PASS dict show: a broken line is reported with file and line"
else
    echo "FAIL dict show: no warning for CAMEO.verbpatterns.150430.txt:5860"
fi
# dyad code with PETRARCH's verb dictionaries: PETRARCH-1 word sequences and PETRARCH-2 phrase
# patterns both code (the linear coder; docs/petrarch.md)
printf 'Russia attacked Ukraine on Monday.\n\nThe French president met the German chancellor in Berlin.\n' > "$T/in.txt"
for v in CAMEO.verbpatterns.150430.txt CAMEO.2.0.txt; do
    "$DYAD" code --quiet --date 2018-01-01 --format tsv --dict "$D/Phoenix.Countries.actors.txt" \
        --dict "$D/Phoenix.agents.txt" --dict "$D/$v" "$T/in.txt" > "$T/out" 2> "$T/err"
    if awk -F'\t' '$5 == "RUS" && $7 == "UKR" && $9 == "190" { a = 1 }
                   $5 == "FRAGOV" && $7 == "DEUGOV" && $9 == "040" { b = 1 }
                   END { exit !(a && b) }' "$T/out"; then
        echo "PASS dict: dyad code --dict $v codes 'Russia attacked Ukraine' and a meeting"
    else
        echo "FAIL dict: dyad code --dict $v: $(cut -f5,7,9 "$T/out" | tr '\n' ' ') $(head -2 "$T/err")"
    fi
done
