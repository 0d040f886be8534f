#!/bin/sh
# readers.sh - bad input through the command line: each bad record gives one error line, the
# good records around it are still processed, the summary counts are right, exit 1 (0 when
# all is good), --strict stops at the first bad record; compressed and stdin input.
# Usage: sh test/sh/readers.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the repository root)
DYAD=$1
SHARED=${2:-../shared}
ROOT=$(pwd)
FIX=$ROOT/test/fixtures
case $DYAD in /*) ;; *) DYAD=$ROOT/$DYAD ;; esac
case $SHARED in /*) ;; *) SHARED=$ROOT/$SHARED ;; esac
if [ ! -x "$DYAD" ]; then
    echo "FAIL readers: no binary $DYAD"
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-readers.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# seg FILE... : dyad segment --format jsonl, stdout in out, stderr in err, status in $rc
seg() {
    "$DYAD" segment --format jsonl "$@" > out 2> err
    rc=$?
}

good() {   # good ID DATE: a valid JSONL record
    printf '{"id":"%s","date":"%s","text":"Officials met in Geneva on Monday. Talks went on."}\n' "$1" "$2"
}

errors() { grep -c '^dyad: error: ' err; }
has_doc() { grep -q "^{\"doc\":\"$1\"," out; }
summary() { grep "^dyad segment: " err | sed 's/[;,] [0-9]* sentences.*//; s/, [0-9]* warnings//'; }

# check_one NAME FILE EXPECTED_ERROR_LINE: the file holds records g1, one bad one, g3
check_one() {
    name=$1 file=$2 want=$3
    seg "$file"
    got=$(grep '^dyad: error: ' err)
    if [ "$(errors)" != 1 ] || [ "$got" != "$want" ]; then
        fail "$name" "expected the error '$want', got '$(cat err)'"
    elif ! has_doc g1 || ! has_doc g3; then
        fail "$name" "the good records around the bad one are missing"
    elif [ "$(summary)" != "dyad segment: 3 records read, 2 processed, 1 skipped" ]; then
        fail "$name" "wrong summary: $(grep '^dyad segment' err)"
    elif [ "$rc" != 1 ]; then
        fail "$name" "exit status $rc, expected 1"
    else
        pass "$name"
    fi
}

# around NAME BAD_LINE: g1, the bad line, g3
around() {
    { good g1 2017-07-18; printf '%s\n' "$2"; good g3 2017-07-18; } > "$1"
}

# ---------------------------------------------------------------- one bad record each

around malformed.jsonl '{"id":"m2","date":"2017-07-18" "text":"No comma."}'
check_one "malformed JSON" malformed.jsonl \
    "dyad: error: malformed.jsonl:2:32: malformed JSON: expected ',' or '}' after a field [record m2]"

around noid.jsonl '{"date":"2017-07-18","text":"No id."}'
check_one "missing id" noid.jsonl 'dyad: error: noid.jsonl:2: missing field "id"'

around nodate.jsonl '{"id":"d2","text":"No date."}'
check_one "missing date" nodate.jsonl 'dyad: error: nodate.jsonl:2: missing field "date" [record d2]'

around notext.jsonl '{"id":"t2","date":"2017-07-18","title":"No text"}'
check_one "missing text" notext.jsonl 'dyad: error: notext.jsonl:2: missing field "text" [record t2]'

around baddate.jsonl '{"id":"x2","date":"2017-02-30","text":"No such day."}'
check_one "bad date" baddate.jsonl \
    'dyad: error: baddate.jsonl:2: invalid date "2017-02-30": no such day [record x2]'

around emptytext.jsonl '{"id":"e2","date":"2017-07-18","text":"  "}'
check_one "empty text" emptytext.jsonl 'dyad: error: emptytext.jsonl:2: empty text [record e2]'

around array.jsonl '["id","date","text"]'
check_one "not an object" array.jsonl 'dyad: error: array.jsonl:2: expected a JSON object, got an array'

# a raw NUL byte: an error for that line only (column 41 is the NUL)
{ good g1 2017-07-18
  printf '{"id":"n2","date":"2017-07-18","text":"a\000b"}\n'
  good g3 2017-07-18; } > nul.jsonl
check_one "raw NUL byte" nul.jsonl "dyad: error: nul.jsonl:2:41: malformed JSON: NUL byte"

# the default date fills a missing one
seg --date 2017-07-20 nodate.jsonl
if [ "$rc" = 0 ] && [ "$(errors)" = 0 ] && has_doc d2 &&
   [ "$(summary)" = "dyad segment: 3 records read, 3 processed, 0 skipped" ]; then
    pass "--date fills a missing date"
else
    fail "--date fills a missing date" "status $rc: $(cat err)"
fi

# ---------------------------------------------------------------- warnings, not errors

# \u0000 in the text: kept by the reader, replaced by the document with a warning
{ good g1 2017-07-18
  printf '{"id":"z2","date":"2017-07-18","text":"Four\\u0000five. Six."}\n'
  good g3 2017-07-18; } > escnul.jsonl
seg escnul.jsonl
if [ "$rc" = 0 ] && [ "$(errors)" = 0 ] && has_doc g1 && has_doc z2 && has_doc g3 &&
   [ "$(grep '^dyad: warning: ' err)" = \
     "dyad: warning: escnul.jsonl:2: NUL byte at byte 4 replaced with U+FFFD [record z2]" ] &&
   grep -q '^dyad segment: 3 records read, 3 processed, 0 skipped, 1 warnings' err; then
    pass "\\u0000 in the text is a warning"
else
    fail "\\u0000 in the text is a warning" "status $rc: $(cat err)"
fi

# invalid UTF-8: a warning naming the record and the byte offset; the record is processed
{ good g1 2017-07-18
  printf '{"id":"u2","date":"2017-07-18","text":"Caf\351 talks. Then \300\200 more."}\n'
  good g3 2017-07-18; } > utf8.jsonl
seg utf8.jsonl
want_w=$(printf '%s\n%s' \
    "dyad: warning: utf8.jsonl:2: invalid UTF-8 at byte 3 replaced with U+FFFD [record u2]" \
    "dyad: warning: utf8.jsonl:2: invalid UTF-8 at byte 17 replaced with U+FFFD [record u2]")
if [ "$rc" = 0 ] && [ "$(errors)" = 0 ] && has_doc u2 && has_doc g3 &&
   [ "$(grep '^dyad: warning: ' err)" = "$want_w" ] &&
   grep -q '^dyad segment: 3 records read, 3 processed, 0 skipped, 2 warnings' err; then
    pass "invalid UTF-8 is a warning"
else
    fail "invalid UTF-8 is a warning" "status $rc: $(cat err)"
fi

# ---------------------------------------------------------------- a 50 MB line

{ good g1 2017-07-18
  printf '{"id":"big","date":"2017-07-18","text":"'
  head -c 52428800 /dev/zero | tr '\000' 'a'
  printf '"}\n'
  good g3 2017-07-18; } > big.jsonl
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o rss "$DYAD" segment --format jsonl big.jsonl > out 2> err
    rc=$?
else
    seg big.jsonl
    echo 0 > rss
fi
got=$(grep '^dyad: error: ' err)
want="dyad: error: big.jsonl:2: record of 52428842 bytes exceeds the limit of 8388608 bytes"
if [ "$got" = "$want" ] && has_doc g1 && has_doc g3 && [ "$rc" = 1 ] &&
   [ "$(summary)" = "dyad segment: 3 records read, 2 processed, 1 skipped" ]; then
    pass "50 MB line skipped"
else
    fail "50 MB line skipped" "status $rc: $(cat err)"
fi
# memory: the peak with the 50 MB line, less the peak with one small record, stays well
# under the line's size (the reader keeps at most --max-record-bytes, 8 MiB by default)
if [ ! -x /usr/bin/time ]; then
    echo "SKIP 50 MB line in bounded memory: /usr/bin/time is missing"
else
    kb=$(tail -n 1 rss)
    good g1 2017-07-18 > small.jsonl
    /usr/bin/time -f '%M' -o rss "$DYAD" segment --format jsonl small.jsonl > /dev/null 2>&1
    base=$(tail -n 1 rss)
    if [ "$kb" -gt 0 ] && [ "$base" -gt 0 ] && [ $((kb - base)) -lt 32768 ]; then
        pass "50 MB line in bounded memory (peak ${kb} KiB, ${base} KiB for one small record)"
    else
        fail "50 MB line in bounded memory" "peak ${kb} KiB against ${base} KiB for one small record"
    fi
fi
rm -f big.jsonl

# ---------------------------------------------------------------- empty input

: > empty.jsonl
seg empty.jsonl
if [ "$rc" = 0 ] && [ ! -s out ] && [ "$(errors)" = 0 ] &&
   [ "$(summary)" = "dyad segment: 0 records read, 0 processed, 0 skipped" ]; then
    pass "empty JSONL file"
else
    fail "empty JSONL file" "status $rc: $(cat err)"
fi
: > empty.txt
seg empty.txt
if [ "$rc" = 1 ] && [ "$(grep '^dyad: error: ' err)" = "dyad: error: empty.txt:1: empty text [record empty]" ]; then
    pass "empty text file"
else
    fail "empty text file" "status $rc: $(cat err)"
fi

# ---------------------------------------------------------------- PETRARCH

cp "$FIX/broken-sentence.xml" broken.xml
seg broken.xml
if [ "$(grep '^dyad: error: ' err)" = \
     "dyad: error: broken.xml:10: malformed <Sentence>: <Text> is not closed [record P2]" ] &&
   has_doc P1 && has_doc P3 && [ "$rc" = 1 ] &&
   grep -q '"text":"Moscow threatened to retaliate & expel diplomats."' out &&
   [ "$(summary)" = "dyad segment: 3 records read, 2 processed, 1 skipped" ]; then
    pass "PETRARCH file with one broken Sentence"
else
    fail "PETRARCH file with one broken Sentence" "status $rc: $(cat err)"
fi

# ---------------------------------------------------------------- several bad records, --strict

cp "$FIX/bad-records.jsonl" bad.jsonl
seg bad.jsonl
want='dyad: error: bad.jsonl:2:32: malformed JSON: expected '"','"' or '"'}'"' after a field [record b2]
dyad: error: bad.jsonl:3: missing field "id"
dyad: error: bad.jsonl:4: missing field "date" [record b4]
dyad: error: bad.jsonl:5: missing field "text" [record b5]
dyad: error: bad.jsonl:6: invalid date "2017-02-30": no such day [record b6]'
if [ "$(grep '^dyad: error: ' err)" = "$want" ] && has_doc g1 && has_doc g8 && [ "$rc" = 1 ] &&
   [ "$(summary)" = "dyad segment: 7 records read, 2 processed, 5 skipped" ]; then
    pass "five bad records among good ones"
else
    fail "five bad records among good ones" "status $rc: $(cat err)"
fi
seg --strict bad.jsonl
if [ "$(errors)" = 1 ] && has_doc g1 && ! has_doc g8 && [ "$rc" != 0 ] &&
   [ "$(summary)" = "dyad segment: 2 records read, 1 processed, 1 skipped" ]; then
    pass "--strict stops at the first bad record"
else
    fail "--strict stops at the first bad record" "status $rc: $(cat err)"
fi

# ---------------------------------------------------------------- compression, stdin

# 3000 records with pseudo-random numbers in them, so that they do not compress to nothing
awk 'BEGIN { srand(7); for (i = 1; i <= 3000; i++) {
    n = ""; for (k = 0; k < 12; k++) n = n int(rand() * 100000)
    printf "{\"id\":\"r%d\",\"date\":\"2017-07-18\",\"text\":\"Officials met on Monday. ", i
    printf "They counted %s votes.\"}\n", n } }' > many.jsonl
seg many.jsonl
cp out plain.out
if [ "$rc" = 0 ] && [ "$(wc -l < plain.out)" -eq 6000 ] &&
   [ "$(summary)" = "dyad segment: 3000 records read, 3000 processed, 0 skipped" ]; then
    pass "plain JSONL, 3000 records"
else
    fail "plain JSONL, 3000 records" "status $rc: $(cat err)"
fi

for z in gzip zstd bzip2 xz; do
    if ! command -v $z > /dev/null 2>&1; then
        echo "SKIP $z input: no $z command"
        continue
    fi
    case $z in gzip) ext=gz ;; zstd) ext=zst ;; bzip2) ext=bz2 ;; xz) ext=xz ;; esac
    $z -c < many.jsonl > many.jsonl.$ext 2> /dev/null
    seg many.jsonl.$ext
    if [ "$rc" = 0 ] && cmp -s out plain.out && [ "$(errors)" = 0 ]; then
        pass "$z input gives the same output as plain"
    else
        fail "$z input gives the same output as plain" "status $rc: $(cat err)"
    fi
done

"$DYAD" segment --format jsonl < many.jsonl > out 2> err
rc=$?
if [ "$rc" = 0 ] && cmp -s out plain.out; then
    pass "stdin (format sniffed)"
else
    fail "stdin (format sniffed)" "status $rc: $(cat err)"
fi
if command -v gzip > /dev/null 2>&1; then
    gzip -c < many.jsonl | "$DYAD" segment --format jsonl - > out 2> err
    rc=$?
    if [ "$rc" = 0 ] && cmp -s out plain.out; then
        pass "gzip on stdin as '-'"
    else
        fail "gzip on stdin as '-'" "status $rc: $(cat err)"
    fi
fi

# truncated compressed files: every record before the damage, then one error, exit 1
for z in gzip zstd; do
    if ! command -v $z > /dev/null 2>&1; then
        echo "SKIP truncated $z: no $z command"
        continue
    fi
    case $z in
    gzip) ext=gz; msg="truncated gzip data; reading stopped" ;;
    zstd) ext=zst; msg="truncated zstd data; reading stopped" ;;
    esac
    size=$(wc -c < many.jsonl.$ext)
    head -c $((size / 2)) many.jsonl.$ext > cut.jsonl.$ext
    seg cut.jsonl.$ext
    n=$(grep -c '"sentence_index":0,' out)
    got=$(grep '^dyad: error: ' err)
    want="dyad: error: cut.jsonl.$ext:$((n + 1)): $msg"
    if [ "$rc" = 1 ] && [ "$n" -gt 100 ] && [ "$got" = "$want" ] &&
       head -n "$(wc -l < out)" plain.out | cmp -s - out &&
       [ "$(summary)" = "dyad segment: $((n + 1)) records read, $n processed, 1 skipped" ]; then
        pass "truncated $z: $n records, then one error"
    else
        fail "truncated $z" "status $rc, $n records: $(cat err)"
    fi
done

# ---------------------------------------------------------------- the example articles

if sh "$ROOT/examples/make-jsonl.sh" | cmp -s - "$ROOT/examples/articles.jsonl"; then
    pass "examples/articles.jsonl matches examples/*.txt"
else
    fail "examples/articles.jsonl matches examples/*.txt" \
        "run: sh examples/make-jsonl.sh > examples/articles.jsonl"
fi
n=$(ls "$ROOT"/examples/*.txt | wc -l)
seg "$ROOT/examples/articles.jsonl"
if [ "$rc" = 0 ] && [ "$n" -ge 5 ] && [ "$(errors)" = 0 ] &&
   [ "$(summary)" = "dyad segment: $n records read, $n processed, 0 skipped" ]; then
    pass "examples/articles.jsonl: $n articles, no error"
else
    fail "examples/articles.jsonl" "status $rc: $(cat err)"
fi
seg "$ROOT"/examples/*.txt
if [ "$rc" = 0 ] && [ "$(errors)" = 0 ] &&
   [ "$(summary)" = "dyad segment: $n records read, $n processed, 0 skipped" ] &&
   has_doc 2019-03-12-oslo-talks; then
    pass "examples/*.txt: one article per file"
else
    fail "examples/*.txt" "status $rc: $(cat err)"
fi

# ---------------------------------------------------------------- the real PETRARCH files

for f in GigaWord.sample.PETR.xml:76 PETR.UnitTest.records.xml:284; do
    name=${f%%:*} count=${f##*:}
    path=$SHARED/petrarch2/text/$name
    if [ ! -f "$path" ]; then
        echo "SKIP real PETRARCH file $name: $SHARED/petrarch2/text is missing"
        continue
    fi
    seg "$path"
    if [ "$rc" = 0 ] && [ "$(errors)" = 0 ] &&
       [ "$(summary)" = "dyad segment: $count records read, $count processed, 0 skipped" ]; then
        pass "real PETRARCH file $name: $count records, no error"
    else
        fail "real PETRARCH file $name" "status $rc: $(head -5 err)"
    fi
done
exit 0
