#!/bin/sh
# store.sh - the event store through the command line: dyad load, dyad code --db, dyad query.
# Exact counts come from the hand-written fixture test/fixtures/store/dyad-2017.jsonl (counts
# worked out by hand in the comments below); `dyad code --db` is compared with `dyad load` of
# the same run's JSONL output, never with the coder's accuracy.
# Usage: sh test/sh/store.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the repository root)
DYAD=$1
ROOT=$(pwd)
FIX=$ROOT/test/fixtures/store
case $DYAD in /*) ;; *) DYAD=$ROOT/$DYAD ;; esac
if [ ! -x "$DYAD" ]; then
    echo "FAIL store: no binary $DYAD"
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-store.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
unset DYAD_DB

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
# same NAME EXPECTED_FILE GOT_FILE
same() {
    if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "expected '$(cat "$2")', got '$(cat "$3")'"; fi
}
q() { "$DYAD" query "$@" --format tsv; }
count() { q sql "SELECT count(*) AS n FROM $2" --db "$1" | sed -n 2p; }
counts() { echo "$(count "$1" articles) $(count "$1" sentences) $(count "$1" events) $(count "$1" quotes)"; }

# ---------------------------------------------------------------- loading the fixture

"$DYAD" load --db f.db "$FIX/dyad-2017.jsonl" 2> err
rc=$?
if [ $rc = 0 ] && grep -q '^dyad load: 19 records read, 19 stored, 0 skipped; 8 articles, 15 events, 1 quotations, 15 sentences;' err; then
    pass "load-summary"
else
    fail "load-summary" "status $rc, $(cat err)"
fi
# 8 articles (w1-w3 have article lines too), 15 (article, sentence) pairs with events,
# 15 events, 1 quotation
got=$(counts f.db)
[ "$got" = "8 15 15 1" ] && pass "load-rows" || fail "load-rows" "expected '8 15 15 1', got '$got'"

"$DYAD" load --quiet --db f.db "$FIX/dyad-2017.jsonl"
got=$(counts f.db)
[ "$got" = "8 15 15 1" ] && pass "load-twice-no-duplicates" || fail "load-twice-no-duplicates" "got '$got'"

# the article lines gave the metadata; loading the events again kept it
q sql "SELECT id, date, title, source FROM articles WHERE id IN ('w1', 'm1') ORDER BY id" --db f.db > got
printf 'id\tdate\ttitle\tsource\nm1\t\t\t\nw1\t2017-01-10\tEnvoys meet in Vienna\twire-a\n' > want
same "load-article-metadata" want got

# ---------------------------------------------------------------- dyad counts

# RUS->USA (sources RUS*, targets USA*), 2017 by month:
#   Jan: w1/w2/w3 040 (q1, 1.0 each) and m4's "2017" 036 (q1, 4.0, counted on 2017-01-01):
#        4 events, quad1 4, sum 7, mean 1.75
#   Feb: none;  Mar: m1 1711 (q4, -9.2) and m1 051 (q1, 3.4): 2, sum -5.8, mean -2.9
#   Apr: m2 061 (q2, 6.4)
# USA->RUS: Jan: w1 130 (q3, -4.4), w2 173 dated "2017-01" (q4, -5.0): sum -9.4, mean -4.7
#   Mar: m1 112 (q3, -2.0);  Apr: m2 020 (q1, 3.0)
# Not counted: m4's 2016-12-30 meeting (before --from), CHN->RUS, UKRMIL->UKRREB, AUS->RUS.
T1='	'
cat > want <<EOF
period${T1}source${T1}target${T1}events${T1}quad1${T1}quad2${T1}quad3${T1}quad4${T1}goldstein_sum${T1}goldstein_mean
2017-01${T1}RUS${T1}USA${T1}4${T1}4${T1}0${T1}0${T1}0${T1}7${T1}1.75
2017-01${T1}USA${T1}RUS${T1}2${T1}0${T1}0${T1}1${T1}1${T1}-9.4${T1}-4.7
2017-02${T1}RUS${T1}USA${T1}0${T1}0${T1}0${T1}0${T1}0${T1}0${T1}
2017-02${T1}USA${T1}RUS${T1}0${T1}0${T1}0${T1}0${T1}0${T1}0${T1}
2017-03${T1}RUS${T1}USA${T1}2${T1}1${T1}0${T1}0${T1}1${T1}-5.8${T1}-2.9
2017-03${T1}USA${T1}RUS${T1}1${T1}0${T1}0${T1}1${T1}0${T1}-2${T1}-2
2017-04${T1}RUS${T1}USA${T1}1${T1}0${T1}1${T1}0${T1}0${T1}6.4${T1}6.4
2017-04${T1}USA${T1}RUS${T1}1${T1}1${T1}0${T1}0${T1}0${T1}3${T1}3
EOF
q dyad RUS USA --from 2017-01-01 --to 2017-04-30 --by month --db f.db > got
same "dyad-by-month" want got

# the same with lower-case codes and the database from $DYAD_DB
DYAD_DB=f.db "$DYAD" query dyad rus usa --from 2017-01-01 --to 2017-04-30 --format tsv > got
same "dyad-env-db-lower-case" want got

# --one-a-day: the three reports of the 2017-01-10 RUSGOV->USAGOV meeting are one event, so
# January RUS->USA has 2 events (that meeting and the 036), quad1 2, sum 5, mean 2.5
printf 'period\tsource\ttarget\tevents\tquad1\tquad2\tquad3\tquad4\tgoldstein_sum\tgoldstein_mean\n2017-01\tRUS\tUSA\t2\t2\t0\t0\t0\t5\t2.5\n2017-01\tUSA\tRUS\t2\t0\t0\t1\t1\t-9.4\t-4.7\n' > want
q dyad RUS USA --from 2017-01-01 --to 2017-01-31 --one-a-day --db f.db > got
same "dyad-one-a-day" want got

# GDELT-style counts: 3 mentions, in 3 articles, from 2 sources (w1 and w3 are both wire-a)
printf 'date\tsource\ttarget\tcode\tquad\tgoldstein\tnum_mentions\tnum_sources\tnum_articles\n2017-01-10\tRUSGOV\tUSAGOV\t040\t1\t1\t3\t2\t3\n' > want
q events --one-a-day --source RUSGOV --target USAGOV --code 04 --db f.db > got
same "events-one-a-day-counts" want got

# by day: every day of the range is listed, both directions
q dyad RUS USA --from 2017-03-04 --to 2017-03-06 --by day --db f.db | cut -f1-4 > got
printf 'period\tsource\ttarget\tevents\n2017-03-04\tRUS\tUSA\t0\n2017-03-04\tUSA\tRUS\t0\n2017-03-05\tRUS\tUSA\t1\n2017-03-05\tUSA\tRUS\t1\n2017-03-06\tRUS\tUSA\t1\n2017-03-06\tUSA\tRUS\t0\n' > want
same "dyad-by-day" want got

# ---------------------------------------------------------------- events and actors

# --source RUS matches RUSGOV; --code 17 matches 1711
q events --source RUS --code 17 --db f.db | cut -f1,2,4,6,11 > got
printf 'date\tsource\ttarget\tcode\tarticle\n2017-03-05\tRUSGOV\tUSA\t1711\tm1\n' > want
same "events-prefix-filters" want got

# --code 13 matches 130 (w1); nothing from USA under 13 besides it
q events --source USA --code 13 --db f.db | cut -f1,2,4,6 > got
printf 'date\tsource\ttarget\tcode\n2017-01-10\tUSAGOV\tRUS\t130\n' > want
same "events-code-root" want got

# as source / as target over the 15 events: RUSGOV 6/1, USAGOV 2/5, RUS 2/4
printf 'actor\tas_source\tas_target\ttotal\nRUSGOV\t6\t1\t7\nUSAGOV\t2\t5\t7\nRUS\t2\t4\t6\n' > want
q actors --limit 3 --db f.db > got
same "actors-top" want got
# by country: RUS (RUSGOV + RUS + RUSMIL) 8/6, USA 4/8, UKR 1/1, AUS 1/0, CHN 1/0
printf 'actor\tas_source\tas_target\ttotal\nRUS\t8\t6\t14\nUSA\t4\t8\t12\nUKR\t1\t1\t2\nAUS\t1\t0\t1\nCHN\t1\t0\t1\n' > want
q actors --by-country --db f.db > got
same "actors-by-country" want got

# ---------------------------------------------------------------- search and sql

printf 'article\tsentence\ttext\tevent_date\tsource\ttarget\tcode\tquad\tgoldstein\nm1\t0\tRussia seized two US diplomatic compounds.\t2017-03-05\tRUSGOV\tUSA\t1711\t4\t-9.2\n' > want
q search compounds --db f.db > got
same "search-word-and-its-events" want got
q search compound --db f.db > got
same "search-stemmed" want got
"$DYAD" query search Vienna --db f.db > got
if grep -q '^w1 #0: Russian and American diplomats met in Vienna\.$' got &&
   grep -q '^w3 #0: ' got && grep -c '040' got | grep -qx 2; then
    pass "search-table"
else
    fail "search-table" "$(cat got)"
fi
"$DYAD" query search Vienna --db f.db --format json > got
if [ "$(wc -l < got)" = 2 ] && grep -q '^{"article":"w1","sentence":0,"text":"Russian and American diplomats met in Vienna.","events":\[{"event_date":"2017-01-10","source":"RUSGOV","target":"USAGOV","code":"040","quad":1,"goldstein":1}\]}$' got; then
    pass "search-json"
else
    fail "search-json" "$(cat got)"
fi

printf 'n\n6\n' > want
q sql "SELECT count(*) AS n FROM events WHERE source = ?1" RUSGOV --db f.db > got
same "sql-select-with-parameter" want got
printf 'n\n0\n' > want
q sql "SELECT count(*) AS n FROM events WHERE source = 'Robert''); DROP TABLE events; --'" --db f.db > got
same "sql-quoted-text" want got
"$DYAD" query sql "DELETE FROM events" --db f.db > out 2> err
rc=$?
if [ $rc = 2 ] && [ "$(count f.db events)" = 15 ] && grep -q 'read-only' err; then
    pass "sql-no-writes"
else
    fail "sql-no-writes" "status $rc, $(cat err)"
fi

# ---------------------------------------------------------------- bad input and parameters

{ head -n 5 "$FIX/dyad-2017.jsonl"; echo '{"kind":"event","doc":"x"'; sed -n 6,19p "$FIX/dyad-2017.jsonl"; } > bad.jsonl
"$DYAD" load --db b.db bad.jsonl 2> err
rc=$?
if [ $rc = 1 ] && [ "$(grep -c '^dyad: error: ' err)" = 1 ] &&
   grep -q '^dyad: error: bad.jsonl:6: malformed JSON$' err &&
   grep -q '^dyad load: 20 records read, 19 stored, 1 skipped;' err && [ "$(counts b.db)" = "8 15 15 1" ]; then
    pass "load-malformed-line"
else
    fail "load-malformed-line" "status $rc, $(cat err)"
fi

printf '%s\n' '{"kind":"event","doc":"m9","sentence_index":0,"date":"2017-02-30","code":"040"}' \
    '{"kind":"event","doc":"m9","sentence_index":0,"date":"2017-02-03","code":"4x"}' \
    '{"kind":"gossip","doc":"m9"}' > bad2.jsonl
"$DYAD" load --db b.db bad2.jsonl 2> err
rc=$?
if [ $rc = 1 ] && [ "$(grep -c '^dyad: error: bad2.jsonl:[123]: ' err)" = 3 ] &&
   [ "$(counts b.db)" = "8 15 15 1" ]; then
    pass "load-bad-fields"
else
    fail "load-bad-fields" "status $rc, $(cat err)"
fi

# a huge sentence index is one bad record, not an attempt to allocate gigabytes
printf '%s\n' '{"kind":"event","doc":"m10","sentence_index":4000000000,"date":"2017-02-03","code":"040"}' \
    '{"kind":"quote","doc":"m10","sentence_index":3000000000,"text":"x"}' > bad3.jsonl
"$DYAD" load --db b.db bad3.jsonl 2> err
rc=$?
if [ $rc = 1 ] && [ "$(grep -c '^dyad: error: bad3.jsonl:[12]: .*sentence_index.* is above' err)" = 2 ] &&
   [ "$(counts b.db)" = "8 15 15 1" ]; then
    pass "load-huge-sentence-index"
else
    fail "load-huge-sentence-index" "status $rc, $(cat err)"
fi

"$DYAD" load --db m.db no-such-file.jsonl "$FIX/dyad-2017.jsonl" 2> err
rc=$?
if [ $rc = 1 ] && [ "$(grep -c '^dyad: error: ' err)" = 1 ] &&
   grep -q '^dyad: error: no-such-file.jsonl: cannot open' err && [ "$(counts m.db)" = "8 15 15 1" ]; then
    pass "load-missing-file-goes-on"
else
    fail "load-missing-file-goes-on" "status $rc, $(cat err)"
fi

gzip -c "$FIX/dyad-2017.jsonl" > fix.jsonl.gz
"$DYAD" load --quiet --db z.db fix.jsonl.gz
[ "$(counts z.db)" = "8 15 15 1" ] && pass "load-compressed" || fail "load-compressed" "$(counts z.db)"

# usage errors: one error line, exit 2
usage_case() {   # name, command...
    name=$1; shift
    "$@" > out 2> err
    rc=$?
    if [ $rc = 2 ] && [ "$(grep -c '^dyad: error: ' err)" = 1 ] && [ ! -s out ]; then
        pass "$name"
    else
        fail "$name" "status $rc, $(cat err)"
    fi
}
usage_case "bad-from-date" "$DYAD" query dyad RUS USA --from 2017-13-01 --db f.db
usage_case "bad-to-date" "$DYAD" query events --to 2017-02-30 --db f.db
usage_case "unknown-subcommand" "$DYAD" query frobnicate --db f.db
usage_case "missing-db-query" "$DYAD" query actors
usage_case "missing-db-load" "$DYAD" load "$FIX/dyad-2017.jsonl"
usage_case "bad-actor-code" "$DYAD" query events --source RU --db f.db
usage_case "bad-event-code" "$DYAD" query events --code 1x --db f.db
usage_case "dyad-needs-two-actors" "$DYAD" query dyad RUS --db f.db
usage_case "bad-by" "$DYAD" query dyad RUS USA --by week --db f.db
usage_case "bad-sql" "$DYAD" query sql "SELEC 1" --db f.db
usage_case "bad-fts-query" "$DYAD" query search --fts '"unbalanced' --db f.db
"$DYAD" query dyad RUS USA --from 2017-13-01 --db f.db 2> err
grep -q "^dyad: error: --from: '2017-13-01' is not a real day as YYYY-MM-DD$" err &&
    pass "bad-from-date-message" || fail "bad-from-date-message" "$(cat err)"

# ---------------------------------------------------------------- databases dyad cannot read

"$DYAD" query actors --db missing.db > out 2> err
rc=$?
[ $rc = 4 ] && grep -q '^dyad: error: missing.db: no such database$' err &&
    pass "missing-database" || fail "missing-database" "status $rc, $(cat err)"

echo "not a database at all, just some text that is longer than a header" > text.db
"$DYAD" query actors --db text.db > out 2> err
rc=$?
[ $rc = 4 ] && grep -q '^dyad: error: text.db: not a dyad database' err &&
    pass "not-a-database" || fail "not-a-database" "status $rc, $(cat err)"

# another schema version: PRAGMA user_version is the big-endian integer at byte 60
cp f.db v3.db
printf '\000\000\000\003' | dd of=v3.db bs=1 seek=60 conv=notrunc 2> /dev/null
"$DYAD" query actors --db v3.db > out 2> err
rc=$?
if [ $rc = 4 ] && [ "$(wc -l < err)" = 1 ] &&
   grep -q '^dyad: error: v3.db: database schema version 3; this dyad reads versions 1 to 2' err; then
    pass "other-schema-version"
else
    fail "other-schema-version" "status $rc, $(cat err)"
fi
"$DYAD" load --db v3.db "$FIX/dyad-2017.jsonl" > out 2> err
rc=$?
[ $rc = 4 ] && grep -q 'schema version 3' err &&
    pass "other-schema-version-load" || fail "other-schema-version-load" "status $rc, $(cat err)"

# ---------------------------------------------------------------- the first load

# A new database gets its indexes and full-text triggers when its first load ends.
objects() { q sql "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name" --db "$1" | sed 1d | tr '\n' ' '; }
want_objects="articles_id events_article events_source events_target quotes_article sentences_ad sentences_ai sentences_article sentences_au "
fts() { q sql "SELECT count(*) AS n FROM sentences_fts WHERE sentences_fts MATCH ?1" "$2" --db "$1" | sed -n 2p; }
"$DYAD" load --quiet --db n1.db "$FIX/dyad-2017.jsonl"
got=$(objects n1.db)
[ "$got" = "$want_objects" ] && pass "first-load-indexes" || fail "first-load-indexes" "got '$got'"
# schema version 2: the unique keys of articles and sentences are unique indexes, not
# constraints of the tables (docs/store.md, "Schema")
got=$(q sql "SELECT (SELECT user_version FROM pragma_user_version) || ' ' || group_concat(name || ':' || \"unique\", ' ') AS x FROM (SELECT name, \"unique\" FROM pragma_index_list('articles') UNION ALL SELECT name, \"unique\" FROM pragma_index_list('sentences') ORDER BY name)" --db n1.db | sed -n 2p)
[ "$got" = "2 articles_id:1 sentences_article:1" ] && pass "schema-version-2-unique-indexes" ||
    fail "schema-version-2-unique-indexes" "expected '2 articles_id:1 sentences_article:1', got '$got'"
# a new database has 16 KiB pages (docs/store.md, "Performance")
got=$(q sql "PRAGMA page_size" --db n1.db | sed -n 2p)
[ "$got" = 16384 ] && pass "first-load-page-size" || fail "first-load-page-size" "got '$got'"
q sql "EXPLAIN QUERY PLAN SELECT count(*) FROM events WHERE source >= 'RUS' AND source < 'RUS~'" --db n1.db > got
grep -q 'INDEX events_source' got && pass "first-load-index-used" || fail "first-load-index-used" "$(cat got)"
# "Vienna": w1 #0 and w3 #0; "compounds": m1 #0
got="$(fts n1.db Vienna) $(fts n1.db compounds)"
[ "$got" = "2 1" ] && pass "first-load-fts" || fail "first-load-fts" "expected '2 1', got '$got'"

# then an article loaded again (m1: 3 events, 1 quotation, 3 sentences) replaces itself
grep '"doc":"m1"' "$FIX/dyad-2017.jsonl" > m1.jsonl
"$DYAD" load --quiet --db n1.db m1.jsonl
got="$(counts n1.db) $(fts n1.db compounds) $(fts n1.db meddling)"
[ "$got" = "8 15 15 1 1 1" ] && pass "first-load-then-reload-one" || fail "first-load-then-reload-one" "expected '8 15 15 1 1 1', got '$got'"

# the same file twice in one first load: the second copy of each article replaces the first
"$DYAD" load --quiet --db n2.db "$FIX/dyad-2017.jsonl" "$FIX/dyad-2017.jsonl"
got="$(counts n2.db) $(fts n2.db Vienna) $(objects n2.db)"
[ "$got" = "8 15 15 1 2 $want_objects" ] && pass "first-load-same-file-twice" || fail "first-load-same-file-twice" "got '$got'"

# article lines in a first load, before and after the records of their article, and twice
# for one article: one row per article, fields that are absent keep their value
# (the file's own line for w2 has no title: the one given before it stays)
printf '%s\n' '{"id":"w2","title":"Envoys again"}' > w2art.jsonl
printf '%s\n' '{"id":"m1","title":"First title","source":"Wire"}' '{"id":"m1","date":"2017-03-02"}' \
    '{"id":"x9","title":"Only a line"}' > m1art.jsonl
"$DYAD" load --quiet --db n4.db w2art.jsonl "$FIX/dyad-2017.jsonl" m1art.jsonl
got="$(counts n4.db) $(objects n4.db)| $(q sql "SELECT id, date, title, source FROM articles WHERE id IN ('m1', 'w2', 'x9') ORDER BY id" --db n4.db | sed 1d | tr '\t\n' ',;')"
want="9 15 15 1 $want_objects| m1,2017-03-02,First title,Wire;w2,2017-01-10,Envoys again,wire-b;x9,,Only a line,;"
[ "$got" = "$want" ] && pass "first-load-article-lines" || fail "first-load-article-lines" "expected '$want', got '$got'"

# m1, m2, then m1 again with one event: m1 keeps 1 event, 1 sentence, no quotation; m2 has
# 2 events on 2 sentences.  "meddling" was only in m1's first version.
{ grep '"doc":"m1"' "$FIX/dyad-2017.jsonl"; grep '"doc":"m2"' "$FIX/dyad-2017.jsonl"
  grep '"doc":"m1","sentence_index":0' "$FIX/dyad-2017.jsonl"; } > again.jsonl
"$DYAD" load --quiet --db n3.db again.jsonl
got="$(counts n3.db) $(fts n3.db meddling) $(fts n3.db compounds) $(fts n3.db crew)"
[ "$got" = "2 3 3 0 0 1 1" ] && pass "first-load-article-again" || fail "first-load-article-again" "expected '2 3 3 0 0 1 1', got '$got'"

if command -v sqlite3 > /dev/null 2>&1; then
    ok=1
    for db in n1.db n2.db n3.db; do
        sqlite3 "$db" "INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')" 2> err ||
            { ok=0; fail "first-load-fts-integrity" "$db: $(cat err)"; }
    done
    [ $ok = 1 ] && pass "first-load-fts-integrity"
    # a first load killed before its end: no indexes, no triggers, an empty full-text index;
    # the next dyad load finishes it before writing
    cp n1.db i.db
    sqlite3 i.db "DROP INDEX articles_id; DROP INDEX sentences_article;
                  DROP INDEX events_article; DROP INDEX events_source; DROP INDEX events_target;
                  DROP INDEX quotes_article; DROP TRIGGER sentences_ai; DROP TRIGGER sentences_ad;
                  DROP TRIGGER sentences_au;
                  INSERT INTO sentences_fts(sentences_fts) VALUES ('delete-all');"
    before="$(objects i.db)$(fts i.db Vienna)"
    : > empty.jsonl
    "$DYAD" load --quiet --db i.db empty.jsonl
    got="$(objects i.db) $(fts i.db Vienna) $(counts i.db)"
    if [ "$before" = 0 ] && [ "$got" = "$want_objects 2 8 15 15 1" ] &&
       sqlite3 i.db "INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')"; then
        pass "interrupted-first-load-finished"
    else
        fail "interrupted-first-load-finished" "before '$before', after '$got'"
    fi
    # a database of schema version 1 (the unique keys are constraints of the tables, and
    # there is no articles_id or sentences_article) is written and read as it is; made here
    # from the schema of a new database
    sqlite3 n1.db .schema | sed -e 's/^  id TEXT NOT NULL,$/  id TEXT PRIMARY KEY NOT NULL,/' \
        -e 's/^  text TEXT NOT NULL);$/  text TEXT NOT NULL,\n  UNIQUE(article, idx));/' \
        -e '/^CREATE UNIQUE INDEX/d' -e '/sqlite_stat/d' > v1.sql
    # application_id 0x64796164 ("dyad")
    { cat v1.sql; echo "PRAGMA application_id = 1685676388; PRAGMA user_version = 1;"; } |
        sqlite3 v1.db
    keys=$(sqlite3 v1.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM pragma_index_list('articles') UNION ALL SELECT name FROM pragma_index_list('sentences') ORDER BY name)")
    "$DYAD" load --quiet --db v1.db "$FIX/dyad-2017.jsonl" && "$DYAD" load --quiet --db v1.db m1.jsonl &&
        "$DYAD" load --quiet --db v1.db w2art.jsonl
    want_v1="events_article events_source events_target quotes_article sentences_ad sentences_ai sentences_au "
    got="$(q sql "PRAGMA user_version" --db v1.db | sed -n 2p) $(objects v1.db) $(counts v1.db) $(fts v1.db Vienna) $(fts v1.db meddling) $(q sql "SELECT title FROM articles WHERE id = 'w2'" --db v1.db | sed -n 2p)"
    if [ "$keys" = "sqlite_autoindex_articles_1 sqlite_autoindex_sentences_1" ] &&
       [ "$got" = "1 $want_v1 8 15 15 1 2 1 Envoys again" ] &&
       sqlite3 v1.db "INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')"; then
        pass "schema-version-1-kept"
    else
        fail "schema-version-1-kept" "keys '$keys', got '$got'"
    fi
else
    echo "SKIP first-load-fts-integrity: no sqlite3 shell"
    echo "SKIP interrupted-first-load-finished: no sqlite3 shell"
    echo "SKIP schema-version-1-kept: no sqlite3 shell"
fi

# ---------------------------------------------------------------- JSON of the records

# escapes (UTF-8 by \u, a surrogate pair, quotes, a backslash), spaces around everything,
# numbers as 1.0 and 1e0; a line with something after its object is malformed
printf '%s\n' '{"kind":"event","doc":"j1","sentence_index":0,"sentence":"Caf\u00e9 \"talks\" in Z\u00fcrich \ud83d\ude00 a\\b","date":"2017-05-01","source":{"code":"FRA","text":"Fran\u00e7ois"},"target":null,"code":"040"}' \
    ' { "kind" : "event" , "doc" : "j2" , "sentence_index" : 0 , "date" : "2017-05-02" , "code" : "040" , "quad" : 1.0 , "goldstein" : 1e0 } ' \
    '{"kind":"event","doc":"j3","sentence_index":0,"date":"2017-05-03","code":"040"} x' > j.jsonl
"$DYAD" load --db j.db j.jsonl 2> err
rc=$?
if [ $rc = 1 ] && grep -q '^dyad: error: j.jsonl:3: malformed JSON$' err &&
   grep -q '^dyad load: 3 records read, 2 stored, 1 skipped;' err; then
    pass "json-lines"
else
    fail "json-lines" "status $rc, $(cat err)"
fi
want=$(printf 'Caf\303\251 "talks" in Z\303\274rich \360\237\230\200 a\\b|Fran\303\247ois' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
got=$(q sql "SELECT hex(s.text || '|' || e.source_text) AS h FROM sentences s JOIN events e ON e.article = s.article WHERE s.article = 'j1'" --db j.db | sed -n 2p)
[ "$got" = "$want" ] && pass "json-escapes" || fail "json-escapes" "expected $want, got $got"
got=$(q sql "SELECT quad, goldstein, target IS NULL AS t FROM events WHERE article = 'j2'" --db j.db | sed -n 2p)
[ "$got" = "$(printf '1\t1\t1')" ] && pass "json-numbers-and-spaces" || fail "json-numbers-and-spaces" "got '$got'"

# ---------------------------------------------------------------- dyad code --db and dyad load

EX=$ROOT/examples/articles.jsonl
if ! "$DYAD" code --quiet "$EX" > coded.jsonl 2> err; then
    echo "SKIP code-db-equals-load: dyad code cannot run here: $(head -n 1 err)"
else
    "$DYAD" code --quiet --db c.db "$EX" > out 2> err
    rc=$?
    if [ $rc = 0 ] && [ ! -s out ]; then pass "code-db-quiet-stdout"; else fail "code-db-quiet-stdout" "status $rc, $(cat err)"; fi
    # the article lines of the input give load the same metadata as code --db
    "$DYAD" load --quiet --db l.db "$EX" coded.jsonl
    ok=1
    for s in "SELECT article, sentence, date, day, source, source_text, target, target_text, code, root, quad, goldstein, location, country, verb, verb_start, verb_end, pattern, dictionary, line, flags FROM events ORDER BY id" \
             "SELECT article, sentence, speaker, speaker_text, text, text_start, text_end FROM quotes ORDER BY id" \
             "SELECT id, date, title, url, source, text FROM articles ORDER BY id" \
             "SELECT s.article, s.idx, s.text FROM sentences s WHERE EXISTS (SELECT 1 FROM events e WHERE e.article = s.article AND e.sentence = s.idx) ORDER BY 1, 2"; do
        q sql "$s" --db c.db > c.out
        q sql "$s" --db l.db > l.out
        cmp -s c.out l.out || { ok=0; fail "code-db-equals-load" "differs: $s"; }
    done
    for args in "actors --limit 0" "events --limit 0" "events --one-a-day --limit 0" \
                "dyad DEU RUS --by year" "dyad POL RUS --from 2018-01-01 --to 2018-12-31"; do
        # shellcheck disable=SC2086
        q $args --db c.db > c.out
        # shellcheck disable=SC2086
        q $args --db l.db > l.out
        cmp -s c.out l.out || { ok=0; fail "code-db-equals-load" "differs: query $args"; }
    done
    # search: code --db also stores the sentences without events; the hits with events agree
    q search minister --db c.db | awk -F'\t' '$7 != ""' > c.out
    q search minister --db l.db | awk -F'\t' '$7 != ""' > l.out
    cmp -s c.out l.out || { ok=0; fail "code-db-equals-load" "differs: search minister"; }
    nev=$(grep -c '"kind":"event"' coded.jsonl)
    [ "$(count c.db events)" = "$nev" ] || { ok=0; fail "code-db-equals-load" "$nev events coded, $(count c.db events) stored"; }
    [ $ok = 1 ] && pass "code-db-equals-load ($nev events)"
    # coding again replaces every article: the store holds exactly what the second run coded
    # (its records also go to stdout with --format)
    "$DYAD" code --quiet --db c.db --format jsonl "$EX" > again.jsonl 2> /dev/null
    want="$(grep -c '"kind":"event"' again.jsonl) $(grep -c '"kind":"quote"' again.jsonl)"
    got="$(count c.db events) $(count c.db quotes)"
    [ "$got" = "$want" ] && [ "$(count c.db articles)" = 6 ] && pass "code-db-twice-no-duplicates" ||
        fail "code-db-twice-no-duplicates" "coded '$want' events and quotes, stored '$got'"
fi
exit 0
