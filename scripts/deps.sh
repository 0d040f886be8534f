#!/bin/sh
# deps.sh - install the Debian packages dyad's build and tests need (as root), or say how.
PKGS="build-essential pkg-config libutf8proc-dev libcjson-dev libarchive-dev libzstd-dev zlib1g-dev
libsqlite3-dev libmicrohttpd-dev libcurl4-openssl-dev wordnet-base clang libclang-rt-14-dev
gzip zstd"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "dyad: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "dyad: error: apt-get install failed for:$missing" >&2; exit 1; }
else
    echo "dyad: missing Debian packages; run as root:" >&2
    echo "  apt-get install -y$missing" >&2
    exit 1
fi
