#!/bin/sh
# dashboard_asan_skip.sh - the dashboard in headless Chromium: the demo data coded into a store,
# `dyad serve` on a free loopback port, test/dashboard/dashboard.cjs driving the page
# (playwright-core) and comparing it with `dyad query`; screenshots in BUILD/screenshots/.
DYAD=${1:-build/dyad}
SHARED=${2:-../shared}
BUILD=${3:-build}
CHROMIUM=${DYAD_CHROMIUM:-/usr/bin/chromium}
# playwright-core is installed by .ci/run (npm install --prefix build/node playwright-core@1)
PW_DIR=${DYAD_PLAYWRIGHT:-$(pwd)/build/node/node_modules/playwright-core}

if [ ! -x "$CHROMIUM" ]; then
    echo "SKIP dashboard: no Chromium at $CHROMIUM (apt-get install chromium chromium-driver)"
    exit 0
fi
if ! command -v node >/dev/null 2>&1; then
    echo "SKIP dashboard: node is not installed (apt-get install nodejs npm)"
    exit 0
fi
if [ ! -f "$PW_DIR/package.json" ]; then
    echo "SKIP dashboard: playwright-core is not installed (npm install --prefix build/node playwright-core@1)"
    exit 0
fi
if ! command -v curl >/dev/null 2>&1; then
    echo "SKIP dashboard: curl is not installed"
    exit 0
fi

dir=$BUILD/dashboard-test
shots=$BUILD/screenshots
rm -rf "$dir"
mkdir -p "$dir" "$shots"
db=$dir/demo.sqlite

# the demo data: the example articles, and the seed article when ../shared is there
if ! "$DYAD" code --quiet --db "$db" examples/articles.jsonl >"$dir/code.out" 2>&1; then
    echo "FAIL dashboard-code: dyad code --db examples/articles.jsonl: $(head -c 300 "$dir/code.out")"
    exit 1
fi
seed="$SHARED/seed/compounds-2017-07-18.txt"
article=compounds-2017-07-18
if [ -f "$seed" ]; then
    if ! "$DYAD" code --quiet --db "$db" --date 2017-07-18 --id "$article" "$seed" \
        >"$dir/seed.out" 2>&1; then
        echo "FAIL dashboard-code-seed: dyad code --db $seed: $(head -c 300 "$dir/seed.out")"
        exit 1
    fi
else
    echo "SKIP dashboard-seed: $SHARED/seed is missing; the example articles stand in for it"
    article=$("$DYAD" query sql --db "$db" --format tsv \
        'SELECT article FROM events ORDER BY article LIMIT 1' | sed -n 2p)
fi
echo "PASS dashboard-code"

"$DYAD" serve --db "$db" --port 0 --web web 2>"$dir/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT INT TERM
port=""
n=0
while [ $n -lt 200 ]; do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$dir/serve.err")
    [ -n "$port" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
    n=$((n + 1))
done
if [ -z "$port" ]; then
    echo "FAIL dashboard-serve: no port announced: $(cat "$dir/serve.err")"
    exit 1
fi
base="http://127.0.0.1:$port"

# the API refuses what it must, over the real store too
for case in "date|from=2017-13-01|from: '2017-13-01' is not a real day" \
            "limit|limit=100000|limit: '100000' is not a whole number" \
            "code|code=0000|code: '0000' is not a CAMEO event code" \
            "param|a=RUS&color=red|unknown parameter 'color'"; do
    name=${case%%|*}
    rest=${case#*|}
    q=${rest%%|*}
    want=${rest#*|}
    code=$(curl -s -m 30 -o "$dir/body" -w '%{http_code}' "$base/api/events?$q")
    if [ "$code" = 400 ] && grep -qF "$want" "$dir/body"; then
        echo "PASS dashboard-api-400-$name"
    else
        echo "FAIL dashboard-api-400-$name: HTTP $code for ?$q: $(head -c 200 "$dir/body")"
    fi
done
code=$(curl -s -m 30 --path-as-is -o "$dir/body" -w '%{http_code}' "$base/../../etc/passwd")
[ "$code" = 400 ] && echo "PASS dashboard-api-traversal" ||
    echo "FAIL dashboard-api-traversal: HTTP $code"

# the page in Chromium (a budget of 3 minutes)
timeout 180 node test/dashboard/dashboard.cjs "$base/" "$DYAD" "$db" "$article" "$shots" \
    "$PW_DIR" "$CHROMIUM" >"$dir/node.out" 2>"$dir/node.err"
rc=$?
cat "$dir/node.out"
if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$dir/node.out"; then
    echo "FAIL dashboard-browser: exit $rc: $(tail -c 600 "$dir/node.err")"
fi
for f in dashboard.png timeline.png article.png; do
    [ -s "$shots/$f" ] && echo "PASS dashboard-screenshot-$f" ||
        echo "FAIL dashboard-screenshot-$f: not written"
done

kill $pid
wait $pid
rc=$?
trap - EXIT INT TERM
[ $rc -eq 0 ] && echo "PASS dashboard-stop" || echo "FAIL dashboard-stop: exit $rc"
