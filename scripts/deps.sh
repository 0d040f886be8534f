#!/bin/sh
# deps.sh - install the Debian packages dyad's build and tests need (as root), or say how.
PKGS="build-essential pkg-config libutf8proc-dev libcjson-dev libarchive-dev libzstd-dev zlib1g-dev
libsqlite3-dev libmicrohttpd-dev libcurl4-openssl-dev wordnet-base clang libclang-rt-14-dev
gzip zstd parallel time bc"
# The dashboard's browser test (test/sh/dashboard_asan_skip.sh skips without them): curl,
# Debian's Chromium and its driver, node and npm (a node already on the PATH is kept).  Not
# having them does not stop the build.
OPTIONAL="curl chromium chromium-driver"
command -v node >/dev/null 2>&1 || OPTIONAL="$OPTIONAL nodejs"
command -v npm >/dev/null 2>&1 || OPTIONAL="$OPTIONAL npm"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
optional=""
for p in $OPTIONAL; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || optional="$optional $p"
done
[ -z "$missing$optional" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    if [ -n "$missing" ]; then
        echo "dyad: installing Debian packages:$missing"
        apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
            echo "dyad: error: apt-get install failed for:$missing" >&2; exit 1; }
    fi
    if [ -n "$optional" ]; then
        echo "dyad: installing Debian packages for the browser test:$optional"
        apt-get install -y -qq --no-install-recommends $optional >/dev/null ||
            echo "dyad: warning: apt-get install failed for:$optional (the browser test will skip)" >&2
    fi
elif [ -n "$missing" ]; then
    echo "dyad: missing Debian packages; run as root:" >&2
    echo "  apt-get install -y$missing$optional" >&2
    exit 1
else
    echo "dyad: the browser test will skip; for it, as root: apt-get install -y$optional" >&2
fi
exit 0
