#!/bin/sh
# serve.sh - dyad serve: the JSON API's answers and refusals, the static files, over a small
# store written here by hand (every expected value below was worked out from these lines).
DYAD=${1:-build/dyad}
SHARED=${2:-../shared}
BUILD=${3:-build}
dir=$BUILD/serve-test
rm -rf "$dir"
mkdir -p "$dir"

if ! command -v curl >/dev/null 2>&1; then
    echo "SKIP serve: curl is not installed"
    exit 0
fi

# Two articles.  a1 has its text (offsets below are bytes: the em dash is 3); a2 only its
# coded sentences.  Events: RUS->USA 040 on 2017-07-17 (a Monday), USA->RUS 112 on
# 2017-07-18, USAGOV->RUSGOV 163 in 2017-08 (counted on 2017-08-01, a Tuesday), FRA->DEU 057
# on 2017-09-10; one quotation.
cat > "$dir/fixture.jsonl" <<'EOF'
{"id":"a1","date":"2017-07-18","title":"Talks over the compounds","url":"https://example.org/a1","source":"example","text":"MOSCOW — Russia and the United States met in Washington on Monday. \"We are close,\" Ryabkov said. The United States accused Russia of meddling."}
{"kind":"event","doc":"a1","sentence_index":0,"sentence":"MOSCOW — Russia and the United States met in Washington on Monday.","date":"2017-07-17","source":{"code":"RUS","text":"Russia"},"target":{"code":"USA","text":"the United States"},"code":"040","root":"04","quad":1,"goldstein":1.0,"location":{"name":"Washington","country":"USA"},"evidence":{"verb":"met","start":40,"end":43}}
{"kind":"quote","doc":"a1","sentence_index":1,"speaker":{"code":"RUSGOV","text":"Ryabkov"},"text":"We are close,","start":70,"end":83}
{"kind":"event","doc":"a1","sentence_index":2,"sentence":"The United States accused Russia of meddling.","date":"2017-07-18","source":{"code":"USA","text":"The United States"},"target":{"code":"RUS","text":"Russia"},"code":"112","quad":3,"goldstein":-2.0,"evidence":{"verb":"accused","start":117,"end":124}}
{"kind":"event","doc":"a2","sentence_index":0,"sentence":"Washington imposed new sanctions on Moscow.","date":"2017-08","source":{"code":"USAGOV","text":"Washington"},"target":{"code":"RUSGOV","text":"Moscow"},"code":"163","quad":4,"goldstein":-8.0,"evidence":{"verb":"imposed","start":500,"end":507}}
{"kind":"event","doc":"a2","sentence_index":1,"sentence":"France and Germany signed a trade agreement.","date":"2017-09-10","source":{"code":"FRA","text":"France"},"target":{"code":"DEU","text":"Germany"},"code":"057","quad":1,"goldstein":8.0,"evidence":{"verb":"signed"}}
EOF
db=$dir/f.sqlite
if ! "$DYAD" load --db "$db" "$dir/fixture.jsonl" >"$dir/load.out" 2>&1; then
    echo "FAIL serve-load: dyad load failed: $(head -c 300 "$dir/load.out")"
    exit 1
fi

# ---------------------------------------------------------------- the command line

"$DYAD" serve >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && echo "PASS serve-cli-no-db" || echo "FAIL serve-cli-no-db: exit $rc, expected 2"
"$DYAD" serve --db "$db" --port 70000 >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && echo "PASS serve-cli-bad-port" || echo "FAIL serve-cli-bad-port: exit $rc, expected 2"
"$DYAD" serve --db "$dir/missing.sqlite" --port 0 >/dev/null 2>"$dir/missing.err"
rc=$?
if [ $rc -eq 4 ] && grep -q 'no such database' "$dir/missing.err"; then
    echo "PASS serve-cli-missing-db"
else
    echo "FAIL serve-cli-missing-db: exit $rc: $(cat "$dir/missing.err")"
fi
"$DYAD" serve --db "$db" --port 0 --web "$dir/nowhere" >/dev/null 2>"$dir/noweb.err"
rc=$?
[ $rc -eq 4 ] && echo "PASS serve-cli-missing-web" || echo "FAIL serve-cli-missing-web: exit $rc"

# ---------------------------------------------------------------- the server

"$DYAD" serve --db "$db" --port 0 --web web 2>"$dir/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT INT TERM
port=""
n=0
while [ $n -lt 200 ]; do   # up to 20 s (the sanitizer build starts slowly)
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$dir/serve.err")
    [ -n "$port" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
    n=$((n + 1))
done
if [ -z "$port" ]; then
    echo "FAIL serve-start: no port announced: $(cat "$dir/serve.err")"
    exit 1
fi
echo "PASS serve-start"
base="http://127.0.0.1:$port"

# expect NAME PATH STATUS TEXT: the answer has that status and holds TEXT
expect() {
    code=$(curl -s -m 30 --path-as-is -o "$dir/body" -w '%{http_code}' "$base/$2")
    if [ "$code" = "$3" ] && grep -qF -- "$4" "$dir/body"; then
        echo "PASS $1"
    else
        echo "FAIL $1: HTTP $code, expected $3 with '$4': $(head -c 300 "$dir/body")"
    fi
}

# bad NAME PATH TEXT: a 400 with a JSON error holding TEXT
bad() {
    expect "$1" "$2" 400 "{\"error\":\"$3"
}

expect serve-info 'api/info' 200 '"store":{"articles":2,"sentences":4,"events":4,"quotes":1,"first":"2017-07-17","last":"2017-09-10"}'
expect serve-info-roots 'api/info' 200 '{"code":"14","quad":3,"name":"'

# timelines: the dyad per month (both directions), per week (gaps filled), one actor
expect serve-dyad-month 'api/dyad?a=RUS&b=USA&by=month' 200 \
    '{"period":"2017-07","start":"2017-07-01","end":"2017-07-31","events":2,"quad":[1,0,1,0],"goldstein_sum":-1,"goldstein_mean":-0.5,"ab":1,"ba":1}'
expect serve-dyad-month-2 'api/dyad?a=rus&b=usa&by=month' 200 \
    '{"period":"2017-08","start":"2017-08-01","end":"2017-08-31","events":1,"quad":[0,0,0,1],"goldstein_sum":-8,"goldstein_mean":-8,"ab":0,"ba":1}]'
expect serve-timeline-week-gap 'api/timeline?a=RUS&b=USA&by=week' 200 \
    '{"period":"2017-07-24","start":"2017-07-24","end":"2017-07-30","events":0,"quad":[0,0,0,0],"goldstein_sum":0,"goldstein_mean":null,"ab":0,"ba":0}'
expect serve-timeline-week 'api/timeline?a=RUS&b=USA&by=week' 200 \
    '"periods":[{"period":"2017-07-17","start":"2017-07-17","end":"2017-07-23","events":2,'
expect serve-timeline-actor 'api/timeline?a=FRA&by=year' 200 \
    '"periods":[{"period":"2017","start":"2017-01-01","end":"2017-12-31","events":1,"quad":[1,0,0,0]'
expect serve-timeline-range 'api/timeline?by=month&from=2017-06-15&to=2017-09-30' 200 \
    '"periods":[{"period":"2017-06","start":"2017-06-01","end":"2017-06-30","events":0,'

# the events table: filters, sorting, pages
expect serve-events-all 'api/events' 200 '"total":4,"events":[{"id":1,"date":"2017-07-17","source":"RUS"'
expect serve-events-dyad 'api/events?a=USA&b=RUS' 200 '"total":3,'
expect serve-events-actor 'api/events?a=DEU' 200 '"total":1,"events":[{"id":4,'
expect serve-events-code 'api/events?code=11' 200 '"total":1,"events":[{"id":2,'
expect serve-events-quad 'api/events?quad=4' 200 '"total":1,"events":[{"id":3,"date":"2017-08",'
expect serve-events-dates 'api/events?from=2017-07-18&to=2017-08-01' 200 '"total":2,"events":[{"id":2,'
expect serve-events-article 'api/events?article=a2' 200 '"total":2,'
expect serve-events-sort 'api/events?sort=goldstein&order=desc&limit=1' 200 '"total":4,"events":[{"id":4,'
expect serve-events-page 'api/events?offset=2&limit=1' 200 '"offset":2,"limit":1,"sort":"date","order":"asc","total":4,"events":[{"id":3,'
expect serve-events-name 'api/events?code=057' 200 '"name":"Sign a formal agreement"'

# the article view: spans in the text (bytes), or in each sentence when there is no text
expect serve-article-source 'api/article?id=a1' 200 '{"kind":"source","start":11,"end":17,"event":0}'
expect serve-article-target 'api/article?id=a1' 200 '{"kind":"target","start":22,"end":39,"event":0}'
expect serve-article-verb 'api/article?id=a1' 200 '{"kind":"verb","start":40,"end":43,"event":0}'
expect serve-article-second 'api/article?id=a1' 200 '{"kind":"source","start":99,"end":116,"event":1},{"kind":"target","start":125,"end":131,"event":1}'
expect serve-article-quote 'api/article?id=a1' 200 '{"kind":"quote","start":70,"end":83,"quote":0}],"offsets":"text"}'
expect serve-article-sentences 'api/article?id=a2' 200 '{"kind":"verb","start":11,"end":18,"event":0,"sentence":0},{"kind":"source","start":0,"end":10,"event":0,"sentence":0},{"kind":"target","start":36,"end":42,"event":0,"sentence":0}'
expect serve-article-sentence-mode 'api/article?id=a2' 200 '"offsets":"sentence"'
expect serve-article-missing 'api/article?id=nope' 404 '{"error":"no article with that id"}'

expect serve-search 'api/search?q=sanctions' 200 '{"rows":[{"article":"a2","sentence":0,"text":"Washington imposed new sanctions on Moscow.","event_date":"2017-08"'
expect serve-search-none 'api/search?q=zebra' 200 '{"rows":[]}'
expect serve-actors-country 'api/actors?by=country' 200 '{"actor":"RUS","as_source":1,"as_target":2,"total":3}'
expect serve-actors-code 'api/actors?limit=2' 200 '{"actors":[{"actor":"RUS","as_source":1,"as_target":1,"total":2},{"actor":"USA",'

# refusals: every parameter is checked
bad serve-400-date 'api/events?from=2017-02-30' "from: '2017-02-30' is not a real day"
bad serve-400-date-shape 'api/timeline?to=17-07-01' "to: '17-07-01' is not a real day"
bad serve-400-date-order 'api/events?from=2017-08-01&to=2017-07-01' 'from 2017-08-01 is after to 2017-07-01'
bad serve-400-period 'api/timeline?by=fortnight' "by: 'fortnight' is not one of day, week, month, year"
bad serve-400-limit 'api/events?limit=501' "limit: '501' is not a whole number from 1 to 500"
bad serve-400-limit-huge 'api/events?limit=99999999999999999999' 'limit: '
bad serve-400-limit-zero 'api/events?limit=0' "limit: '0'"
bad serve-400-limit-actors 'api/actors?limit=5000' "limit: '5000'"
bad serve-400-offset 'api/events?offset=-5' "offset: '-5'"
bad serve-400-quad 'api/events?quad=5' "quad: '5'"
bad serve-400-code-unknown 'api/events?code=999' "code: '999' is not a CAMEO event code"
bad serve-400-code-shape 'api/events?code=1a' "code: '1a' is not a CAMEO event code"
bad serve-400-actor-shape 'api/events?a=RU' "a: 'RU' is not an actor code"
bad serve-400-actor-chars 'api/events?a=R%27S' "a: 'R'S' is not an actor code"
bad serve-400-actor-unknown 'api/timeline?a=XYZ' "a: unknown actor code 'XYZ'"
bad serve-400-actor-b-unknown 'api/dyad?a=RUS&b=CHN' "b: unknown actor code 'CHN'"
bad serve-400-b-alone 'api/events?b=RUS' 'b needs a'
bad serve-400-dyad-one 'api/dyad?a=RUS' 'the dyad needs two actors'
bad serve-400-unknown-param 'api/events?foo=1' "unknown parameter 'foo'"
bad serve-400-sql-param 'api/events?sort=e.id%3BDROP%20TABLE%20events' "sort: 'e.id;DROP TABLE events' is not one of"
bad serve-400-twice 'api/events?a=RUS&a=USA' "parameter 'a' given twice"
bad serve-400-nul 'api/article?id=a%001' "parameter 'id' holds a NUL byte"
long=$(printf '%0600d' 0)
bad serve-400-long "api/search?q=$long" "parameter 'q' is longer than 512 bytes"
bad serve-400-periods 'api/timeline?by=day&from=1900-01-01&to=2017-12-31' '43099 periods of a day'
bad serve-400-no-id 'api/article' 'id: '
bad serve-400-no-q 'api/search' 'q: '
expect serve-404-endpoint 'api/nothing' 404 '{"error":"no such API endpoint'
expect serve-events-after 'api/events' 200 '"total":4,'   # the store is intact

# static files
expect serve-static-index '' 200 '<title>dyad'
expect serve-static-app 'app.js' 200 'byteToIndex'
bad serve-400-traversal '../../etc/passwd' 'bad path'
bad serve-400-traversal-escaped '%2e%2e/%2e%2e/etc/passwd' 'bad path'
bad serve-400-traversal-slash '..%2f..%2fetc%2fpasswd' 'bad path'
bad serve-400-traversal-inner 'vendor/../../Makefile' 'bad path'
expect serve-404-hidden '.git/config' 404 'not found'
expect serve-404-missing 'missing.js' 404 'not found'
type_of() { curl -s -o /dev/null -w '%{content_type}' "$base/$1"; }
t=$(type_of index.html); [ "$t" = "text/html; charset=utf-8" ] && echo "PASS serve-type-html" || echo "FAIL serve-type-html: $t"
t=$(type_of app.js); [ "$t" = "text/javascript; charset=utf-8" ] && echo "PASS serve-type-js" || echo "FAIL serve-type-js: $t"
t=$(type_of style.css); [ "$t" = "text/css; charset=utf-8" ] && echo "PASS serve-type-css" || echo "FAIL serve-type-css: $t"
t=$(type_of api/info); [ "$t" = "application/json; charset=utf-8" ] && echo "PASS serve-type-json" || echo "FAIL serve-type-json: $t"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d 'x=1' "$base/api/info")
[ "$code" = 405 ] && echo "PASS serve-405-post" || echo "FAIL serve-405-post: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: dyad.example.com' "$base/api/info")
[ "$code" = 403 ] && echo "PASS serve-403-host" || echo "FAIL serve-403-host: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: localhost:$port" "$base/api/info")
[ "$code" = 200 ] && echo "PASS serve-host-localhost" || echo "FAIL serve-host-localhost: HTTP $code"

# requests at once (more than the 4 threads): every one answered
i=0
while [ $i -lt 24 ]; do
    curl -s -m 30 -o "$dir/par.$i" -w '%{http_code}\n' "$base/api/events?a=RUS&b=USA&sort=code" >"$dir/code.$i" &
    i=$((i + 1))
done
wait_n=0
while [ $wait_n -lt 120 ]; do
    j=0; done_n=0
    while [ $j -lt 24 ]; do
        [ -s "$dir/code.$j" ] && done_n=$((done_n + 1))
        j=$((j + 1))
    done
    [ $done_n -eq 24 ] && break
    sleep 0.25
    wait_n=$((wait_n + 1))
done
ok=$(cat "$dir"/code.* | grep -c '^200$')
same=$(cat "$dir"/par.* | sort -u | wc -l)
[ "$ok" -eq 24 ] && [ "$same" -eq 1 ] && echo "PASS serve-concurrent" ||
    echo "FAIL serve-concurrent: $ok of 24 answered 200, $same different bodies"

# stopping: SIGTERM ends it cleanly (under the sanitizers: no leak either)
kill $pid
wait $pid
rc=$?
trap - EXIT INT TERM
if [ $rc -eq 0 ] && grep -q 'dyad: stopped' "$dir/serve.err"; then
    echo "PASS serve-stop"
else
    echo "FAIL serve-stop: exit $rc: $(tail -c 600 "$dir/serve.err")"
fi
