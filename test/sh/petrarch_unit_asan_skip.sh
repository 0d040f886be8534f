#!/bin/sh
# petrarch_unit_asan_skip.sh - `dyad eval petrarch-unit`: the PETRARCH unit-test records coded
# with their own PETR.Validate dictionaries stay above a floor (with and without tags), a few
# records written here code as worked out by hand, and --floor fails when it is not met.
# Run as: sh FILE DYAD_BINARY SHARED_DIR BUILD_DIR
DYAD=${1:-build/dyad}
SHARED=${2:-../shared}
BUILD=${3:-build}
SUITE=$SHARED/petrarch2/text/PETR.UnitTest.records.xml
DICTS=$SHARED/petrarch2/dictionaries
# Floors a little below what the coder reaches (docs/petrarch.md has the figures).
FLOOR_TAGS=262
FLOOR_NOTAGS=262

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

if [ ! -f "$SUITE" ] || [ ! -d "$DICTS" ]; then
    echo "SKIP petrarch_unit: $SUITE not found"
    exit 0
fi
TMP=$BUILD/test-petrarch.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT

# The suite, tagged by the installed model (or without tags when it does not open).
"$DYAD" eval petrarch-unit --floor $FLOOR_TAGS "$SUITE" > "$TMP/out" 2> "$TMP/err"
rc=$?
line=$(grep -E '^[0-9]+/284 passed' "$TMP/out")
if [ $rc = 0 ] && [ -n "$line" ]; then
    pass "petrarch_unit: $line"
else
    fail "petrarch_unit" "exit $rc, '$line' (floor $FLOOR_TAGS) $(head -c 300 "$TMP/err")"
fi

# The same without tags: word-order rules only.
"$DYAD" eval petrarch-unit --no-model --floor $FLOOR_NOTAGS "$SUITE" > "$TMP/out2" 2> "$TMP/err2"
rc=$?
line=$(grep -E '^[0-9]+/284 passed' "$TMP/out2")
if [ $rc = 0 ] && [ -n "$line" ]; then
    pass "petrarch_unit_notags: $line"
else
    fail "petrarch_unit_notags" "exit $rc, '$line' (floor $FLOOR_NOTAGS)"
fi

# Records written for this test; the expected codes follow from PETR.Validate.verbs.txt by
# hand: CONDEMN [122]; MEET [031:031] codes both directions; "- + WAS * DEAD IN $ [224]"
# under SHOT swaps source and target; passive voice with "by" swaps them too (OPPOSE [112]);
# discards code nothing; agents join actors ("Gondor police" GONCOP, "Arnor cleric" ARNREL,
# "Ethiopia official" ETHGOV); "the news" names no actor, so WELCOME [041] codes nothing.
cat > "$TMP/mini.xml" <<'EOF'
<Validation>
<Environment>
    <Verbfile>PETR.Validate.verbs.txt</Verbfile>
    <Actorfile>PETR.Validate.actors.txt</Actorfile>
    <Agentfile>PETR.Validate.agents.txt</Agentfile>
    <Discardfile>PETR.Validate.discards.txt</Discardfile>
</Environment>
<Sentences>
<Sentence date="19950105" id="MINI-1">
<EventCoding sourcecode="GON" targetcode="MOR" eventcode="122"></EventCoding>
<Text>Gondor condemned Mordor on Monday.</Text>
</Sentence>
<Sentence date="19950105" id="MINI-2">
<EventCoding sourcecode="ROH" targetcode="BRE" eventcode="031"></EventCoding>
<EventCoding sourcecode="BRE" targetcode="ROH" eventcode="031"></EventCoding>
<Text>Rohan will meet Bree next week.</Text>
</Sentence>
<Sentence date="19950105" id="MINI-3">
<EventCoding sourcecode="ROH" targetcode="ETHGOV" eventcode="224"></EventCoding>
<Text>An Ethiopia official was shot dead in Rohan.</Text>
</Sentence>
<Sentence date="19950105" id="MINI-4">
<EventCoding sourcecode="GONCOP" targetcode="ARNREL" eventcode="112"></EventCoding>
<Text>The Arnor cleric was opposed by Gondor police.</Text>
</Sentence>
<Sentence date="19950105" id="MINI-5">
<EventCoding noevents="True"></EventCoding>
<Text>Gondor condemned Mordor after a typhoon.</Text>
</Sentence>
<Sentence date="19950105" id="MINI-6">
<EventCoding noevents="True"></EventCoding>
<Text>Gondor welcomed the news.</Text>
</Sentence>
</Sentences>
</Validation>
EOF
for mode in "" "--no-model"; do
    # shellcheck disable=SC2086
    "$DYAD" eval petrarch-unit $mode --dict-dir "$DICTS" --all "$TMP/mini.xml" > "$TMP/mini.out" 2>&1
    rc=$?
    name="petrarch_unit_mini${mode:+_notags}"
    if [ $rc = 0 ] && grep -q '^6/6 passed' "$TMP/mini.out"; then
        pass "$name"
    else
        fail "$name" "$(grep -v '^PASS' "$TMP/mini.out" | head -5 | tr '\n' ' ')"
    fi
done

# --floor above the count fails with exit 1.
"$DYAD" eval petrarch-unit --no-model --dict-dir "$DICTS" --floor 7 "$TMP/mini.xml" > /dev/null 2>&1
rc=$?
if [ $rc = 1 ]; then pass "petrarch_unit_floor"; else fail "petrarch_unit_floor" "exit $rc, want 1"; fi
