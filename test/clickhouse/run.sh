#!/bin/sh
# run.sh - the ClickHouse store on a two-shard cluster against the SQLite store: the same
# coded articles must give the same answers to dyad query.
# Usage: sh test/clickhouse/run.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the repository root;
# `make test-clickhouse`).  Installs clickhouse-server when missing (as root); without it a
# developer's run skips, a CI run (CI=true) fails.  Ends with "N passed, N failed".
DYAD=${1:-build/dyad}
SHARED=${2:-../shared}
BUILD=${3:-build}
ROOT=$(pwd)
case $DYAD in /*) ;; *) DYAD=$ROOT/$DYAD ;; esac
case $SHARED in /*) ;; *) SHARED=$ROOT/$SHARED ;; esac
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
npass=0 nfail=0 nskip=0
pass() { echo "PASS $1"; npass=$((npass + 1)); }
fail() { echo "FAIL $1: $2"; nfail=$((nfail + 1)); }
skip() { echo "SKIP $1: $2"; nskip=$((nskip + 1)); }
finish() {
    echo "clickhouse: $npass passed, $nfail failed, $nskip skipped"
    [ "$nfail" -eq 0 ]
    exit
}

if [ ! -x "$DYAD" ]; then
    fail clickhouse "no binary $DYAD"
    finish
fi

# ---- the servers
sh "$ROOT/scripts/clickhouse.sh" install
rc=$?
if [ $rc -ne 0 ]; then
    if [ "${CI:-}" = true ] || [ $rc -ne 77 ]; then
        fail clickhouse-install "clickhouse-server could not be installed (status $rc)"
    else
        skip clickhouse "clickhouse-server is not installed and cannot be installed here"
    fi
    finish
fi
mkdir -p "$BUILD" || exit 1
T=$(mktemp -d "$BUILD/clickhouse-test.XXXXXX") || exit 1
stop() { sh "$ROOT/scripts/clickhouse.sh" stop "$T/servers"; rm -rf "$T"; }
trap stop EXIT
trap 'exit 1' INT TERM
ports=$(sh "$ROOT/scripts/clickhouse.sh" start "$T/servers")
if [ $? -ne 0 ]; then
    fail clickhouse-start "the two servers did not start"
    finish
fi
set -- $ports
TCP1=$1 TCP2=$2 HTTP1=$3 HTTP2=$4
pass clickhouse-start
CLUSTER="clickhouse://127.0.0.1:$HTTP1,127.0.0.1:$HTTP2"
LOADED="$CLUSTER/dyad_loaded?cluster=dyad_test"    # filled by dyad load
CODED="$CLUSTER/dyad_coded?cluster=dyad_test"      # filled by dyad code --db
ONE="clickhouse://127.0.0.1:$HTTP1"                # queries need one server only
chq() {   # chq PORT SQL: a query through the native client
    clickhouse-client --host 127.0.0.1 --port "$1" --query "$2"
}

# ---- the same articles into SQLite and ClickHouse
cd "$T" || exit 1
cp "$DYAD" "$T/dyad" || exit 1   # one binary throughout, whatever a build does meanwhile
DYAD=$T/dyad
EX=$ROOT/examples/articles.jsonl
seed=$SHARED/seed/compounds-2017-07-18.txt
code() {   # code [--db DB]: the examples, then the seed article when ../shared is there
    "$DYAD" code --quiet "$@" "$EX" || return 1
    if [ -f "$seed" ]; then
        "$DYAD" code --quiet --date 2017-07-18 --id compounds-2017-07-18 "$@" "$seed" || return 1
    fi
}
[ -f "$seed" ] || skip clickhouse-seed "$SHARED is not here: the seed article is left out"
code > coded.jsonl 2> code.err || fail code "dyad code failed: $(head -n 3 code.err)"
nevents=$(grep -c '"kind":"event"' coded.jsonl)
if [ "$nevents" -gt 0 ]; then pass coded-events; else fail coded-events "no events coded"; fi
code --db "$T/coded.sqlite" 2> sqlite.err || fail sqlite-code "$(head -n 3 sqlite.err)"
code --db "$CODED" 2> code-ch.err && pass clickhouse-code ||
    fail clickhouse-code "dyad code --db clickhouse://: $(head -n 3 code-ch.err)"
# the records, then the articles' metadata; twice, to see that nothing is duplicated
for round in 1 2; do
    if "$DYAD" load --quiet --db "$LOADED" coded.jsonl "$EX" 2> load.err; then
        pass "clickhouse-load-$round"
    else
        fail "clickhouse-load-$round" "$(head -n 3 load.err)"
    fi
done
"$DYAD" load --quiet --db "$T/loaded.sqlite" coded.jsonl "$EX" 2> load-sqlite.err ||
    fail sqlite-load "$(head -n 3 load-sqlite.err)"

# ---- the rows are on both shards, and the current ones are what was coded
n1=$(chq "$TCP1" "SELECT count() FROM dyad_loaded.events_local" 2>&1)
n2=$(chq "$TCP2" "SELECT count() FROM dyad_loaded.events_local" 2>&1)
case "$n1$n2" in
*[!0-9]*|'') fail shards "cannot count the rows of each shard: $n1 $n2" ;;
*)  if [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] && [ $((n1 + n2)) -eq $((2 * nevents)) ]; then
        pass shards
    else
        fail shards "events per shard $n1 + $n2, expected two loads of $nevents, on both"
    fi ;;
esac
current="SELECT count() FROM events WHERE (article, version) IN
  (SELECT id, maxIf(version, content = 1) FROM articles GROUP BY id)"
for db in "$LOADED" "$CODED"; do
    got=$("$DYAD" query sql --format tsv --db "$db" "$current" 2>&1 | sed -n 2p)
    name=current-events-${db##*/}
    if [ "$got" = "$nevents" ]; then pass "${name%%\?*}"
    else fail "${name%%\?*}" "$got current events, $nevents coded"; fi
done

# ---- the same answers: SQLite (coded), ClickHouse (loaded and coded)
# The dyads: the two pairs of actors with most events, taken from the SQLite store.
"$DYAD" query events --db coded.sqlite --format tsv --limit 0 > events.tsv 2>&1
pairs=$(awk -F '\t' 'NR > 1 && $2 != "" && $4 != "" { n[$2 " " $4]++ }
    END { for (p in n) print n[p], p }' events.tsv | sort -k1,1nr -k2 | head -n 2 |
    cut -d ' ' -f 2-)
if [ -n "$pairs" ]; then pass dyads-found; else fail dyads-found "no dyad in the events"; fi

same() {   # same NAME ARGS...: dyad query ARGS, SQLite against ClickHouse
    name=$1; shift
    for case3 in "loaded loaded.sqlite $LOADED" "coded coded.sqlite $CODED" \
                 "one-server loaded.sqlite $ONE/dyad_loaded"; do
        label=${case3%% *} rest=${case3#* }
        sq=${rest%% *} db=${rest#* }
        "$DYAD" query "$@" --db "$T/$sq" > want 2> want.err
        rw=$?
        "$DYAD" query "$@" --db "$db" > got 2> got.err
        rg=$?
        if [ $rw -ne 0 ] || [ ! -s want ]; then
            fail "$name-$label" "the SQLite query failed: $(head -n 2 want.err)"
        elif [ $rg -ne 0 ]; then
            fail "$name-$label" "the ClickHouse query failed: $(head -n 2 got.err)"
        elif ! cmp -s want got; then
            fail "$name-$label" "differs from SQLite: $(diff want got | head -n 4 | tr '\n' '|')"
        else
            pass "$name-$label"
        fi
    done
}

k=0
echo "$pairs" | while read -r a b; do
    [ -n "$a" ] || continue
    echo "$a $b"
done > pairs
while read -r a b; do
    k=$((k + 1))
    # the dyad has events: the table holds a row with a nonzero count
    "$DYAD" query dyad "$a" "$b" --db "$T/coded.sqlite" --format tsv > d.tsv 2>&1
    if awk -F '\t' 'NR > 1 && $4 > 0 { f = 1 } END { exit !f }' d.tsv; then
        pass "dyad$k-has-events"
    else
        fail "dyad$k-has-events" "no events for $a $b"
    fi
    same "dyad$k-month" dyad "$a" "$b" --by month
    same "dyad$k-day" dyad "$a" "$b" --by day
    same "dyad$k-year-tsv" dyad "$a" "$b" --by year --format tsv
    same "dyad$k-one-a-day" dyad "$a" "$b" --one-a-day
    same "dyad$k-range" dyad "$a" "$b" --from 2015-01-01 --to 2018-12-31 --by year
    same "dyad$k-country" dyad "$(echo "$a" | cut -c1-3)" "$(echo "$b" | cut -c1-3)" --by year
done < pairs
same actors actors
same actors-tsv actors --format tsv --limit 0
same actors-country actors --by-country
same actors-quad actors --quad 1 --format tsv
same events events --format tsv --limit 0
same events-json events --format json --limit 5
same events-one-a-day events --one-a-day --format tsv --limit 0
root=$(awk -F '\t' 'NR == 2 { print substr($6, 1, 2) }' events.tsv)
same events-code events --code "${root:-04}" --format tsv
same events-range events --from 2017-01-01 --to 2018-06-30 --format tsv

# ---- search (substring matching on ClickHouse) and errors
"$DYAD" query search ceasefire --db "$CODED" > s.out 2>&1
if grep -q '^2015-09-15-berlin-appeal #' s.out && grep -qi 'ceasefire' s.out &&
    ! grep -q '^2019-03-12-oslo' s.out; then
    pass search
else
    fail search "$(head -n 3 s.out | tr '\n' '|')"
fi
"$DYAD" query actors --db "$ONE/no_such_db" > e.out 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "no dyad database" e.out; then pass missing-db
else fail missing-db "status $rc: $(head -n 2 e.out)"; fi
"$DYAD" query actors --db "$ONE/bad-name" > e.out 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "not a database name" e.out; then pass bad-uri
else fail bad-uri "status $rc: $(head -n 2 e.out)"; fi
"$DYAD" query actors --db "clickhouse://127.0.0.1:$((HTTP2 + 1000))/dyad_loaded" > e.out 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "cannot reach" e.out; then pass no-server
else fail no-server "status $rc: $(head -n 2 e.out)"; fi
# a read-only query cannot write
"$DYAD" query sql --db "$LOADED" "INSERT INTO dyad_meta VALUES ('x', 'y')" > e.out 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -qi "readonly" e.out; then pass readonly
else fail readonly "status $rc: $(head -n 2 e.out)"; fi
finish
