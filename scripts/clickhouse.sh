#!/bin/sh
# clickhouse.sh - install ClickHouse and run a two-shard test cluster on loopback.
#
#   sh scripts/clickhouse.sh install       install Debian's clickhouse-server and -client
#                                          (as root); exit 77 when it cannot be installed here
#   sh scripts/clickhouse.sh start DIR     write two server configs under DIR, start both
#                                          servers in the background, wait until they answer;
#                                          prints "TCP1 TCP2 HTTP1 HTTP2", the four ports
#   sh scripts/clickhouse.sh stop DIR      stop the servers started in DIR
#
# The servers listen on 127.0.0.1 only; their data, logs and configs stay under DIR.  Both
# know the cluster "dyad_test" of two shards (one server each), which is what a Distributed
# table names.  The ports are DYAD_CH_PORT .. DYAD_CH_PORT+3 (default: a base picked from the
# process id, so that two runs on one machine do not collide).
set -u

die() { echo "clickhouse.sh: error: $*" >&2; exit 1; }

have_server() {
    command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ]
}

server_bin() {
    command -v clickhouse-server 2>/dev/null || echo /usr/sbin/clickhouse-server
}

do_install() {
    if have_server && command -v clickhouse-client >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "clickhouse.sh: clickhouse-server is not installed; as root run:" >&2
        echo "  apt-get install -y clickhouse-server clickhouse-client" >&2
        exit 77
    fi
    export DEBIAN_FRONTEND=noninteractive
    # the package's own service is not wanted: the tests start their servers themselves
    if ! apt-get install -y -qq --no-install-recommends clickhouse-server clickhouse-client \
            >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1
        apt-get install -y -qq --no-install-recommends clickhouse-server clickhouse-client \
            >/dev/null || { echo "clickhouse.sh: error: apt-get install failed" >&2; exit 77; }
    fi
    have_server || { echo "clickhouse.sh: error: no clickhouse-server after install" >&2; exit 77; }
}

# write_config DIR NAME TCP HTTP TCP1 TCP2
write_config() {
    d=$1/$2
    mkdir -p "$d/data" "$d/tmp" "$d/user_files" "$d/format_schemas" || die "cannot create $d"
    cat > "$d/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$d/server.log</log>
        <errorlog>$d/server.err.log</errorlog>
        <size>10M</size>
        <count>1</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$3</tcp_port>
    <http_port>$4</http_port>
    <path>$d/data/</path>
    <tmp_path>$d/tmp/</tmp_path>
    <user_files_path>$d/user_files/</user_files_path>
    <format_schema_path>$d/format_schemas/</format_schema_path>
    <users_config>$d/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>67108864</mark_cache_size>
    <uncompressed_cache_size>67108864</uncompressed_cache_size>
    <max_concurrent_queries>20</max_concurrent_queries>
    <mlock_executable>false</mlock_executable>
    <remote_servers>
        <dyad_test>
            <shard><replica><host>127.0.0.1</host><port>$5</port></replica></shard>
            <shard><replica><host>127.0.0.1</host><port>$6</port></replica></shard>
        </dyad_test>
    </remote_servers>
</yandex>
EOF
    cat > "$d/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>2000000000</max_memory_usage>
            <max_threads>2</max_threads>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas><default></default></quotas>
</yandex>
EOF
}

# wait_up TCPPORT DATADIR: until the server with that data directory answers on the port
# (at most 60 s; another program's server on the port does not count)
wait_up() {
    i=0
    while [ $i -lt 120 ]; do
        got=$(clickhouse-client --host 127.0.0.1 --port "$1" --query \
            "SELECT data_path FROM system.databases WHERE name = 'system'" 2>/dev/null)
        case $got in
        "$2"*) return 0 ;;
        ?*) return 1 ;;
        esac
        sleep 0.5
        i=$((i + 1))
    done
    return 1
}

# start_pair DIR BASE: the two servers on ports BASE..BASE+3; false when one does not answer
start_pair() {
    dir=$1 base=$2
    t1=$base; t2=$((base + 1)); h1=$((base + 2)); h2=$((base + 3))
    write_config "$dir" s1 "$t1" "$h1" "$t1" "$t2"
    write_config "$dir" s2 "$t2" "$h2" "$t1" "$t2"
    for s in s1 s2; do
        # run from the server's own directory: it writes status files to the working one
        (cd "$dir/$s" && exec "$(server_bin)" --config-file="$dir/$s/config.xml" \
            >"$dir/$s/stdout.log" 2>&1) &
        echo $! > "$dir/$s/pid"
    done
    wait_up "$t1" "$dir/s1/data/" && wait_up "$t2" "$dir/s2/data/"
}

do_start() {
    dir=$1
    have_server || die "clickhouse-server is not installed (sh scripts/clickhouse.sh install)"
    mkdir -p "$dir" || die "cannot create $dir"
    dir=$(cd "$dir" && pwd)
    base=${DYAD_CH_PORT:-$((20000 + $$ % 3000 * 4))}
    tries=0
    until start_pair "$dir" "$base"; do
        do_stop "$dir"
        tries=$((tries + 1))
        if [ $tries -ge 3 ] || ! grep -qi 'address already in use' "$dir"/s*/*.log 2>/dev/null
        then
            echo "clickhouse.sh: error: the servers did not start; their logs:" >&2
            tail -n 20 "$dir"/s*/stdout.log "$dir"/s*/server.err.log >&2 2>/dev/null
            exit 1
        fi
        rm -rf "$dir/s1" "$dir/s2"
        base=$((base + 4000))   # a port was taken: another block of four
    done
    echo "$t1 $t2 $h1 $h2"
}

do_stop() {
    dir=$1
    for s in s1 s2; do
        f=$dir/$s/pid
        [ -f "$f" ] || continue
        pid=$(cat "$f")
        if kill "$pid" 2>/dev/null; then
            i=0
            while kill -0 "$pid" 2>/dev/null && [ $i -lt 40 ]; do
                sleep 0.25
                i=$((i + 1))
            done
            kill -9 "$pid" 2>/dev/null
        fi
        rm -f "$f"
    done
    return 0
}

case "${1:-}" in
install) do_install ;;
start) [ $# -eq 2 ] || die "usage: clickhouse.sh start DIR"; do_start "$2" ;;
stop) [ $# -eq 2 ] || die "usage: clickhouse.sh stop DIR"; do_stop "$2" ;;
*) echo "usage: sh scripts/clickhouse.sh install | start DIR | stop DIR" >&2; exit 2 ;;
esac
