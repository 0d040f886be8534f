#!/bin/sh
# store.sh - load rate of `dyad load` (events stored per second) on a generated JSONL file of
# dyad's output, with a baseline measured in the same run: the sqlite3 shell importing the
# same events as TSV into one bare table (no JSON, no index, no sentences), when the shell is
# installed.  Usage: sh bench/store.sh BUILD_DIR [SHARED_DIR]  (from the repository root)
# DYAD_BENCH_EVENTS sets the number of events (default 1000000).
BUILD=${1:-build}
DYAD=$BUILD/dyad
N=${DYAD_BENCH_EVENTS:-1000000}
TARGET=200000
[ -x "$DYAD" ] || { echo "bench/store: no binary $DYAD"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-bench-store.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{ printf "%.3f", $2 - $1 }'; }
rate() { echo "$1 $2" | awk '{ printf "%d", $1 / $2 }'; }
# timed FILE COMMAND...: run the command; FILE gets "WALL CPU" in seconds (CPU is user +
# system, "-" when /usr/bin/time is missing).
timed() {
    f=$1; shift
    t0=$(now)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%U %S' -o "$f.cpu" "$@" || return 1
    else
        "$@" || return 1
        echo "- -" > "$f.cpu"
    fi
    t1=$(now)
    echo "$(secs "$t0" "$t1") $(awk '{ if ($1 == "-") print "-"; else printf "%.2f", $1 + $2 }' "$f.cpu")" > "$f"
}
per_cpu() { [ "$2" = - ] && echo "-" || rate "$1" "$2"; }

# A news feed in date order, as dyad code writes it for an archive: 1 to 8 events per article
# (two per sentence), about 120 articles a day from 2015-01-01, each event dated on the
# article's day or up to two days before; 12 actors, 20 event codes; one quotation per
# article.  The same events also go to events.tsv for the baseline.
awk -v n="$N" -v tsv="$T/events.tsv" 'BEGIN {
    srand(7);
    split("RUS RUSGOV USA USAGOV CHN CHNGOV UKR UKRMIL DEU FRAGOV IRN SYR", act, " ");
    split("010 020 036 040 042 043 051 057 061 070 080 100 112 130 138 160 172 173 190 1711", code, " ");
    split("1 1 1 1 1 1 1 1 2 2 2 3 3 3 3 4 4 4 4 4", quad, " ");
    split("0.0 3.0 4.0 1.0 1.9 2.8 3.4 8.0 6.4 7.0 5.2 -5.0 -2.0 -4.4 -7.0 -4.0 -5.0 -5.0 -10.0 -9.0", gold, " ");
    split("31 28 31 30 31 30 31 31 30 31 30 31", mdays, " ");
    e = 0; doc = 0;
    while (e < n) {
        doc++; day = 3 + int(doc / 120); k = 1 + int(rand() * 8);
        for (i = 0; i < k && e < n; i++) {
            dd = day - int(rand() * 3); y = 2015; m = 1;
            while (dd > 365) { dd -= 365; y++ }
            while (dd > mdays[m]) { dd -= mdays[m]; m++ }
            date = sprintf("%04d-%02d-%02d", y, m, dd);
            s = int(i / 2); a = 1 + int(rand() * 12); b = 1 + int(rand() * 12); c = 1 + int(rand() * 20);
            sent = sprintf("In talks on %d %d the officials of %s said that %s would answer the measures taken against its diplomats, sentence %d.", doc, s, act[a], act[b], s);
            printf "{\"kind\":\"event\",\"doc\":\"bench-%07d\",\"sentence_index\":%d,\"sentence\":\"%s\",", doc, s, sent;
            printf "\"date\":\"%s\",\"source\":{\"code\":\"%s\",\"text\":\"officials of %s\"},", date, act[a], act[a];
            printf "\"target\":{\"code\":\"%s\",\"text\":\"the %s side\"},\"code\":\"%s\",\"root\":\"%s\",", act[b], act[b], code[c], substr(code[c], 1, 2);
            printf "\"quad\":%d,\"goldstein\":%s,\"location\":{\"name\":\"Geneva\",\"country\":\"CHE\"},", quad[c], gold[c];
            printf "\"evidence\":{\"verb\":\"would answer\",\"start\":%d,\"end\":%d,\"pattern\":\"answer T\",\"dictionary\":\"dict/verbs.txt\",\"line\":%d,\"flags\":[]}}\n", 40 + i, 52 + i, 10 + c;
            printf "bench-%07d\t%d\t%s\t%s\t%s\tofficials of %s\t%s\tthe %s side\t%s\t%s\t%d\t%s\tGeneva\tCHE\twould answer\t%d\t%d\tanswer T\tdict/verbs.txt\t%d\t0\n", doc, s, date, date, act[a], act[a], act[b], act[b], code[c], substr(code[c], 1, 2), quad[c], gold[c], 40 + i, 52 + i, 10 + c > tsv;
            e++;
        }
        printf "{\"kind\":\"quote\",\"doc\":\"bench-%07d\",\"sentence_index\":0,\"speaker\":{\"code\":\"%s\",\"text\":\"a spokesman\"},\"text\":\"We will answer.\",\"start\":3,\"end\":18}\n", doc, act[1 + int(rand() * 12)];
    }
}' > "$T/events.jsonl"

lines=$(wc -l < "$T/events.jsonl")
bytes=$(wc -c < "$T/events.jsonl")
echo "machine: $(uname -sm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sqlite: $(pkg-config --modversion sqlite3 2>/dev/null)"
echo "input: $N events, $lines lines, $bytes bytes (generated with awk, in date order)"

base_rate=
if command -v sqlite3 > /dev/null 2>&1; then
    printf '%s\n' "PRAGMA page_size = 8192;" "PRAGMA journal_mode = WAL;" \
        "PRAGMA synchronous = NORMAL;" \
        "CREATE TABLE events(article, sentence, date, day, source, source_text, target, target_text, code, root, quad, goldstein, location, country, verb, verb_start, verb_end, pattern, dictionary, line, flags);" \
        ".mode tabs" ".import $T/events.tsv events" > "$T/base.sql"
    timed "$T/tb" sh -c "sqlite3 '$T/base.db' < '$T/base.sql' > /dev/null" || exit 1
    read -r base_s base_cpu < "$T/tb"
    base_rate=$(rate "$N" "$base_s")
    echo "baseline: sqlite3 .import of the same events as TSV into one bare table: $base_s s," \
         "$base_rate events/s ($base_cpu s CPU, $(per_cpu "$N" "$base_cpu") events per CPU second)"
    rm -f "$T/base.db"*
else
    echo "baseline: skipped (no sqlite3 shell; apt-get install sqlite3)"
fi

echo "command: $DYAD load --db $T/bench.sqlite $T/events.jsonl"
timed "$T/tl" "$DYAD" load --db "$T/bench.sqlite" "$T/events.jsonl" 2> "$T/err" || { cat "$T/err"; exit 1; }
cat "$T/err"
read -r load_s load_cpu < "$T/tl"
load_rate=$(rate "$N" "$load_s")
echo "load: $load_s s, $load_rate events/s ($load_cpu s CPU, $(per_cpu "$N" "$load_cpu") events per" \
     "CPU second; target >= $TARGET events/s); database $(du -k "$T/bench.sqlite" | cut -f1) KiB"
[ -n "$base_rate" ] && echo "ratio: dyad load / sqlite3 bare import = $(echo "$load_rate $base_rate" | awk '{ printf "%.2f", $1 / $2 }')"

# The load counts only if it left a finished database: every event stored, the indexes (the
# unique keys articles_id and sentences_article among them) and the full-text triggers
# there, every sentence in the full-text index.
sql() { "$DYAD" query sql "$1" --db "$T/bench.sqlite" --format tsv | sed -n 2p; }
stored=$(sql "SELECT count(*) FROM events")
objects=$(sql "SELECT count(*) FROM sqlite_master WHERE name IN ('articles_id', 'sentences_article', 'events_article', 'events_source', 'events_target', 'quotes_article', 'sentences_ai', 'sentences_ad', 'sentences_au')")
sentences=$(sql "SELECT count(*) FROM sentences")
indexed=$(sql "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'officials'")
echo "check: $stored events stored, $objects of 9 indexes and triggers, $indexed of $sentences sentences found by the full-text index"
if [ "$stored" != "$N" ] || [ "$objects" != 9 ] || [ "$indexed" != "$sentences" ]; then
    echo "bench/store: the loaded database is incomplete"
    exit 1
fi

echo "command: $DYAD load --db $T/bench.sqlite $T/events.jsonl   (again: every article replaced)"
t0=$(now)
"$DYAD" load --quiet --db "$T/bench.sqlite" "$T/events.jsonl" || exit 1
t1=$(now)
reload_s=$(secs "$t0" "$t1")
echo "reload: $reload_s s, $(rate "$N" "$reload_s") events/s"

for q in "dyad RUS USA --from 2015-01-01 --to 2015-12-31" "events --source RUS --code 13 --from 2015-06-01 --to 2015-06-30" "actors" "search officials --limit 5"; do
    t0=$(now)
    # shellcheck disable=SC2086
    "$DYAD" query $q --db "$T/bench.sqlite" > "$T/q" || exit 1
    t1=$(now)
    echo "query $q: $(secs "$t0" "$t1") s, $(wc -l < "$T/q") lines"
done
if [ "$load_rate" -lt "$TARGET" ]; then
    echo "bench/store: load rate $load_rate events/s is under the target $TARGET on this machine"
fi
exit 0
