#!/bin/sh
# hostile_asan_skip.sh - hostile input through the command line: binary garbage, invalid UTF-8,
# NUL bytes, a 100 MB line, a 10,000-token sentence, deeply nested and huge JSON, truncated
# .gz/.zst, a compression bomb, a dictionary of a million entries, pathological patterns and
# sets, damaged model and dictionary files.  Each must run in bounded time and memory, report
# what is bad in one-line messages, and still process every good record around it.  Inputs are
# generated here (nothing big is committed); budgets are generous: these are robustness
# checks, not timings.
# Usage: sh test/sh/hostile_asan_skip.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the repo root)
DYAD=$1
ROOT=$(pwd)
case $DYAD in /*) ;; *) DYAD=$ROOT/$DYAD ;; esac
if [ ! -x "$DYAD" ]; then
    echo "FAIL hostile: no binary $DYAD"
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-hostile.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
export LC_ALL=C

TIME=
[ -x /usr/bin/time ] && TIME=/usr/bin/time

# ---------------------------------------------------------------- helpers

begin() { name=$1; why=; }
bad() { why="${why:+$why; }$1"; }
end() {
    if [ -z "$why" ]; then echo "PASS $name: $1"; else echo "FAIL $name: $why"; fi
}

# run BUDGET_SECONDS COMMAND...: stdout in out, stderr in err; sets rc, secs and kb (peak RSS,
# empty without /usr/bin/time)
run() {
    budget=$1
    shift
    if [ -n "$TIME" ]; then
        timeout "$budget" "$TIME" -f '%e %M' -o time.txt "$@" > out 2> err
        rc=$?
        secs=$(tail -n 1 time.txt 2>/dev/null | cut -d' ' -f1)
        kb=$(tail -n 1 time.txt 2>/dev/null | cut -d' ' -f2)
        case $kb in *[!0-9]* | '') kb= ;; esac
    else
        t0=$(date +%s)
        timeout "$budget" "$@" > out 2> err
        rc=$?
        secs=$(( $(date +%s) - t0 ))
        kb=
    fi
}

# bounded MAX_KB: no timeout, no crash, no sanitizer report, peak memory under MAX_KB, and
# every line on stderr a one-line dyad message (error, warning or the summary; `dyad dict`
# writes FILE:LINE: error|warning: MESSAGE)
bounded() {
    if [ "$rc" = 124 ]; then
        bad "no result within $budget s"
    elif [ "$rc" -ge 125 ]; then
        bad "exit status $rc (killed by a signal?)"
    fi
    if grep -q -E 'Sanitizer|runtime error|Segmentation' err; then
        bad "sanitizer or crash report: $(grep -m 1 -E 'Sanitizer|runtime error|Segmentation' err)"
    fi
    if [ -n "$kb" ] && [ "$kb" -gt "$1" ]; then
        bad "peak memory $kb KB over $1 KB"
    fi
    other=$(grep -v -E '^dyad: (error|warning): |^dyad [a-z]+: |^[^ :]+:[0-9]+: (error|warning): ' err |
            head -n 1)
    [ -n "$other" ] && bad "stderr line that is not a dyad message: $(printf '%s' "$other" | cut -c1-80)"
}

measured() { printf '%s s' "$secs"; [ -n "$kb" ] && printf ', %s MB' "$((kb / 1024))"; }
errors() { grep -c '^dyad: error: ' err; }
has_event() { grep -q "\"doc\":\"$1\"" out; }
has_doc() { grep -q "^# doc $1 " out; }

good() {   # good ID: a record with an event
    printf '{"id":"%s","date":"2017-07-18","text":"Russia accused the United States of violating the treaty."}\n' "$1"
}
good2() {
    printf '{"id":"%s","date":"2017-07-18","text":"The United States imposed sanctions on Russia."}\n' "$1"
}

# the records before and after the bad one were coded
around() {
    has_event before || bad "the good record before the bad one was not coded"
    has_event after || bad "the good record after the bad one was not coded"
}

# pseudo-random bytes: garbage N SEED
garbage() { awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%c", int(rand() * 256) }'; }

# ---------------------------------------------------------------- the model

# The shipped model when it loads, else a tiny one trained here from the fuzz treebank (its
# sentences are close to the good records, which it codes).
MODEL=
good before > probe.jsonl
run 120 "$DYAD" code probe.jsonl
if [ "$rc" != 0 ] || ! has_event before; then
    echo "# the shipped model does not code here ($(head -n 1 err | cut -c1-120)); training a tiny one"
    for i in 1 2 3 4; do tail -c +2 "$ROOT/fuzz/corpus/conllu/treebank.conllu"; done > tiny.conllu
    if ! "$DYAD" train --train tiny.conllu -o tiny.model --tagger-epochs 1 --parser-epochs 1 \
        --quiet > train.log 2>&1; then
        echo "FAIL hostile: cannot train a model: $(tail -n 1 train.log)"
        exit 0
    fi
    MODEL="--model $T/tiny.model"
    MODEL_FILE=$T/tiny.model
else
    MODEL_FILE=${DYAD_MODEL:-$ROOT/models/dyad-en.model}
fi
# code ARGS...: dyad code with the model chosen above
code() { run "$BUDGET" "$DYAD" code $MODEL "$@"; }
BUDGET=120

# ---------------------------------------------------------------- binary garbage

begin "hostile binary garbage as text"
garbage 1000000 1 > garbage.bin
run 120 "$DYAD" segment --input text --date 2017-07-18 garbage.bin
bounded 300000
[ "$rc" -le 1 ] || bad "exit status $rc"
grep -q '^dyad segment: 1 records read, 1 processed' err || bad "the article was not processed: $(tail -n 1 err)"
end "1 MB segmented, $(grep -c '^[0-9]' out) sentences, $(measured)"

begin "hostile binary garbage coded"
head -c 250000 garbage.bin > garbage250.bin
code --input text --date 2017-07-18 garbage250.bin
bounded 1000000
[ "$rc" -le 1 ] || bad "exit status $rc"
grep -q '^dyad code: 1 records read, 1 processed' err || bad "the article was not processed: $(tail -n 1 err)"
end "250 KB coded, $(measured)"

begin "hostile binary garbage between JSONL records"
{ good before; garbage 100000 2; printf '\n'; good after; } > garbage.jsonl
code garbage.jsonl
bounded 300000
around
[ "$rc" = 1 ] || bad "exit status $rc, expected 1 (records skipped)"
[ "$(errors)" -ge 1 ] || bad "no error reported"
bad_loc=$(grep '^dyad: error: ' err | grep -v -c '^dyad: error: garbage.jsonl:[0-9]')
[ "$bad_loc" = 0 ] || bad "$bad_loc error lines without file:line"
end "$(errors) bad lines reported, the good records coded, $(measured)"

# ---------------------------------------------------------------- invalid UTF-8, NUL bytes

begin "hostile invalid UTF-8"
{
    good before
    # a lone continuation byte, 0xFF/0xFE, an overlong '/', a surrogate, a cut 3-byte sequence
    printf '{"id":"bad8","date":"2017-07-18","text":"Russia \200accused \377\376the United States \300\257of \355\240\200violating the treaty \342\202."}\n'
    good after
} > utf8.jsonl
code utf8.jsonl
bounded 300000
around
has_event bad8 || bad "the record with invalid UTF-8 was not coded"
[ "$rc" = 0 ] || bad "exit status $rc: a record with invalid UTF-8 is repaired, not skipped"
iconv -f UTF-8 -t UTF-8 out > /dev/null 2>&1 || bad "the output is not valid UTF-8"
grep -q '^dyad: warning: utf8.jsonl:2' err || bad "no warning names the repaired record"
end "repaired with $(grep -c '^dyad: warning: ' err) warnings, output valid UTF-8"

begin "hostile NUL bytes"
{
    good before
    printf '{"id":"rawnul","date":"2017-07-18","text":"Russia\000 accused the United States."}\n'
    printf '{"id":"escnul","date":"2017-07-18","text":"Russia accused\\u0000 the United States of violating the treaty."}\n'
    good after
} > nul.jsonl
code nul.jsonl
bounded 300000
around
[ "$(errors)" = 1 ] || bad "$(errors) errors, expected 1 (the raw NUL)"
grep -q '^dyad: error: nul.jsonl:2' err || bad "the raw NUL is not reported at line 2"
printf 'Russia accused\000 the United States of violating\000\000 the treaty.\n' > nul.txt
run 60 "$DYAD" segment --date 2017-07-18 nul.txt
bounded 300000
[ "$rc" = 0 ] && grep -q 'treaty' out || bad "a text with NUL bytes was not segmented (status $rc)"
end "raw NUL reported, escaped NUL and NUL in text processed"

# ---------------------------------------------------------------- a 100 MB line

head -c 100000000 /dev/zero | tr '\000' 'a' > a100.txt
{
    good before
    printf '{"id":"huge","date":"2017-07-18","text":"'
    cat a100.txt
    printf '"}\n'
    good after
} > line100.jsonl
rm -f a100.txt
for cmd in segment code; do
    begin "hostile 100 MB line ($cmd)"
    if [ $cmd = segment ]; then
        run 120 "$DYAD" segment line100.jsonl
        has_doc before && has_doc after || bad "the good records around it were not segmented"
    else
        code line100.jsonl
        around
    fi
    bounded 200000
    [ "$rc" = 1 ] || bad "exit status $rc, expected 1"
    [ "$(errors)" = 1 ] || bad "$(errors) error lines, expected 1"
    grep -q '^dyad: error: line100.jsonl:2: .*exceeds the limit' err ||
        bad "no error naming line 2 and the limit: $(grep -m 1 '^dyad: error' err | cut -c1-100)"
    end "skipped with one error line, $(measured)"
done
rm -f line100.jsonl

begin "hostile compression bomb"
head -c 100000000 /dev/zero | tr '\000' 'a' | gzip -c > bomb.txt.gz
run 120 "$DYAD" segment --date 2017-07-18 bomb.txt.gz
bounded 200000
[ "$rc" = 1 ] && [ "$(errors)" = 1 ] || bad "status $rc, $(errors) errors: expected 1 and 1"
grep -q 'exceeds the limit' err || bad "the limit is not named"
end "$(wc -c < bomb.txt.gz) bytes of gzip -> 100 MB: skipped at the record limit, $(measured)"

# ---------------------------------------------------------------- a 10,000-token sentence

{
    good before
    printf '{"id":"long","date":"2017-07-18","text":"'
    awk 'BEGIN { for (i = 0; i < 2000; i++) printf "Russia accused the United States " }'
    printf '."}\n'
    good after
} > long.jsonl
begin "hostile 10,000-token sentence (segment)"
run 120 "$DYAD" segment long.jsonl
bounded 300000
longest=$(awk -F' [|] ' '/^[0-9]/ { if (NF > m) m = NF } END { print m + 0 }' out)
tokens=$(awk '/^# doc long /{ on = 1; next } /^# doc /{ on = 0 } on && /^[0-9]/ { n += split($0, a, " [|] ") } END { print n + 0 }' out)
[ "$longest" -le 400 ] || bad "a sentence of $longest tokens (limit 400)"
[ "$tokens" -ge 10000 ] || bad "$tokens tokens kept of 10001"
grep -q '^dyad: warning: long.jsonl:2: sentence longer than' err || bad "the split is not reported"
has_doc before && has_doc after || bad "the good records around it were not segmented"
end "split into sentences of at most $longest tokens, $tokens tokens kept, $(measured)"

begin "hostile 10,000-token sentence (code)"
code long.jsonl
bounded 1000000
around
has_event long || bad "nothing coded in the long sentence"
[ "$rc" = 0 ] || bad "exit status $rc"
end "$(grep -c '"doc":"long"' out) events in it, $(measured)"

# ---------------------------------------------------------------- JSON: deep, huge

begin "hostile deeply nested JSON"
{
    good before
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; printf "\n" }'
    printf '{"id":"deep","date":"2017-07-18","text":"Russia accused the United States.","extra":'
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; printf "}\n" }'
    good after
} > deep.jsonl
code deep.jsonl
bounded 300000
around
[ "$(errors)" = 2 ] || bad "$(errors) errors, expected 2"
[ "$rc" = 1 ] || bad "exit status $rc"
end "both nested lines reported, $(measured)"

begin "hostile huge JSON object"
{
    good before
    printf '{"id":"keys","date":"2017-07-18","text":"Russia accused the United States of violating the treaty."'
    awk 'BEGIN { for (i = 0; i < 200000; i++) printf ",\"k%d\":[%d,{\"v\":\"%d\"}]", i, i, i; printf "}\n" }'
    good after
} > keys.jsonl
code keys.jsonl
bounded 500000
around
has_event keys || bad "the record with 200,000 extra keys was not coded"
end "$(wc -c < keys.jsonl) bytes, 200,000 keys, $(measured)"

# ---------------------------------------------------------------- truncated compressed input

awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "{\"id\":\"r%d\",\"date\":\"2017-07-18\",\"text\":\"Officials met in Geneva on Monday about treaty %d.\"}\n", i, i * 7919 % 10007 }' > many.jsonl
for z in gz zst; do
    begin "hostile truncated .$z"
    if [ $z = gz ]; then gzip -c many.jsonl > many.jsonl.gz; cut=50; else zstd -q -c many.jsonl > many.jsonl.zst; cut=80; fi
    size=$(wc -c < many.jsonl.$z)
    head -c $((size * cut / 100)) many.jsonl.$z > cut.jsonl.$z
    run 60 "$DYAD" segment cut.jsonl.$z
    bounded 300000
    n=$(grep -c '^# doc ' out)
    last=$(grep '^# doc ' out | tail -n 1 | cut -d' ' -f3)
    [ "$n" -gt 0 ] && [ "$n" -lt 2000 ] || bad "$n records delivered of 2000"
    [ "$last" = "r$n" ] || bad "the records delivered are not the first $n (last: $last)"
    [ "$(errors)" = 1 ] || bad "$(errors) error lines, expected 1"
    grep -q '^dyad: error: cut.jsonl.'$z':[0-9]*: truncated' err || bad "no error saying the data is truncated"
    [ "$rc" = 1 ] || bad "exit status $rc"
    end "cut at $cut%: $n records before the cut delivered, one error"
done

# ---------------------------------------------------------------- a dictionary of a million entries

awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "org: Zorgon Council %d\n  code: NGO\n", i }' > million.txt
begin "hostile dictionary of a million entries (check)"
run 300 "$DYAD" dict check million.txt
bounded 2500000
[ "$rc" = 0 ] || bad "exit status $rc"
grep -q 'org 1000000' out || bad "not every entry was read: $(grep files out)"
end "$(measured)"

begin "hostile dictionary of a million entries (compile and code)"
run 300 "$DYAD" dict compile "$ROOT/dict" million.txt -o million.dict
bounded 3000000
[ "$rc" = 0 ] && [ -s million.dict ] || bad "compile failed: status $rc"
compile="compiled in $(measured)"
rm -f million.txt
{ good before; printf '{"id":"zorgon","date":"2017-07-18","text":"Zorgon Council 777777 accused Russia of violating the treaty."}\n'; good after; } > zorgon.jsonl
code --dict million.dict zorgon.jsonl
bounded 1000000
around
grep '"doc":"zorgon"' out | grep -q '"source":{"code":"NGO"' || bad "the entry Zorgon Council 777777 was not found"
end "$compile, coded in $(measured)"
rm -f million.dict

# ---------------------------------------------------------------- pathological patterns and sets

awk 'BEGIN {
    for (i = 0; i < 10000; i++) printf "112  accuse T of w%05d\n", i
    printf "040  meet"; for (i = 0; i < 200; i++) printf " w%d", i; printf " T\n"
    for (i = 0; i < 300; i++) printf "set chain%d: &chain%d; word%d\n", i, i + 1, i
    printf "set chain300: treaty\n"
    printf "set loopa: &loopb; alpha\nset loopb: &loopa; beta\n"
    printf "112  accuse T of violating &chain0\n112  accuse T of &loopa\n"
    for (i = 0; i < 100000; i++) printf "set wide%d: &wide%d; x%d\n", i, i + 1, i
    printf "set wide100000: y\n"
}' > patho.txt
begin "hostile pathological patterns and sets (check)"
run 120 "$DYAD" dict check patho.txt
bounded 2000000
[ "$rc" = 3 ] || bad "exit status $rc, expected 3 (errors)"
grep -q '^patho.txt:[0-9]*: error: set &loopa includes itself' err || bad "the cycle is not reported"
grep -q '^patho.txt:[0-9]*: error: set &chain[0-9]*: sets nested more than' err || bad "the depth is not reported"
[ "$(grep -c 'includes itself' err)" -le 2 ] || bad "deep sets reported as cycles"
grep -q '^patho.txt:10001: error: pattern too long' err || bad "the 200-element pattern is not reported"
end "$(tail -n 1 out), $(measured)"

begin "hostile pathological patterns and sets (code)"
code --dict "$ROOT/dict" --dict patho.txt probe.jsonl
bounded 2000000
has_event before || bad "the good record was not coded"
{ good before; printf '{"id":"w42","date":"2017-07-18","text":"Russia accused the United States of w00042 and word7 at length."}\n'; good after; } > patho.jsonl
code --dict "$ROOT/dict" --dict patho.txt patho.jsonl
bounded 2000000
around
has_event w42 || bad "the sentence matching one of 10,000 patterns was not coded"
end "$(measured)"

# ---------------------------------------------------------------- damaged model and dictionary files

begin "hostile truncated and damaged model"
size=$(wc -c < "$MODEL_FILE")
head -c $((size / 2)) "$MODEL_FILE" > trunc.model
run 60 "$DYAD" code --model trunc.model probe.jsonl
bounded 300000
[ "$rc" -ne 0 ] || bad "a truncated model was accepted"
[ "$(errors)" = 1 ] || bad "$(errors) error lines, expected 1"
grep -q '^dyad: error: .*trunc.model.*truncated' err || bad "the error does not name the file and say truncated: $(head -n 1 err | cut -c1-100)"
cp "$MODEL_FILE" flip.model
printf '\377' | dd of=flip.model bs=1 seek=$((size / 2)) conv=notrunc 2> /dev/null
run 60 "$DYAD" code --model flip.model probe.jsonl
bounded 300000
[ "$rc" -ne 0 ] || bad "a damaged model was accepted"
grep -q '^dyad: error: .*flip.model.*\(checksum\|damaged\)' err || bad "the error does not say damaged: $(head -n 1 err | cut -c1-100)"
head -c 16 /dev/zero > zero.model
run 60 "$DYAD" code --model zero.model probe.jsonl
bounded 300000
[ "$rc" -ne 0 ] && [ "$(errors)" = 1 ] || bad "a 16-byte model: status $rc, $(errors) errors"
end "truncated, flipped and empty models refused with one error line"
rm -f trunc.model flip.model

begin "hostile truncated and damaged compiled dictionary"
"$DYAD" dict compile "$ROOT/dict" -o d.dict > /dev/null 2>&1
size=$(wc -c < d.dict)
head -c $((size / 3)) d.dict > trunc.dict
run 60 "$DYAD" code $MODEL --dict trunc.dict probe.jsonl
bounded 300000
[ "$rc" -ne 0 ] && [ "$(errors)" = 1 ] || bad "truncated: status $rc, $(errors) errors"
grep -q '^dyad: error: .*trunc.dict.*truncated' err || bad "the error does not say truncated: $(head -n 1 err | cut -c1-100)"
cp d.dict flip.dict
printf '\001' | dd of=flip.dict bs=1 seek=$((size / 2)) conv=notrunc 2> /dev/null
run 60 "$DYAD" code $MODEL --dict flip.dict probe.jsonl
bounded 300000
[ "$rc" -ne 0 ] && [ "$(errors)" = 1 ] || bad "flipped: status $rc, $(errors) errors"
grep -q '^dyad: error: .*flip.dict.*\(checksum\|damaged\)' err || bad "the error does not say damaged: $(head -n 1 err | cut -c1-100)"
end "truncated and flipped dictionaries refused with one error line"
exit 0
