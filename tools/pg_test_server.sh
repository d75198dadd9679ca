#!/bin/sh
# A throwaway PostgreSQL for the test suite: `start DIR` prints the URL to export as EGOV_TEST_PG_URL,
# `stop DIR` ends it and removes DIR. PostgreSQL refuses to run as root, so as root it runs as `egovci`.
set -eu
action=$1
dir=$2
# A free local port unless one is given: a developer's own server (or another run) keeps its own.
port=${EGOV_TEST_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
password=${EGOV_TEST_PG_PASSWORD:-ci-only-s3cret}

find_bin() {
    for candidate in "$(command -v "$1" 2>/dev/null || true)" /usr/lib/postgresql/*/bin/"$1"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
    done
    return 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then su egovci -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case $action in
start)
    if ! find_bin initdb >/dev/null && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    initdb=$(find_bin initdb) || { echo "no PostgreSQL (initdb) on this machine" >&2; exit 1; }
    pg_ctl=$(find_bin pg_ctl)
    if [ "$(id -u)" = 0 ] && ! id egovci >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin egovci
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown egovci "$dir"
    # A password over TCP, as a council's server has: the tests check it is never shown.
    printf '%s\n' "$password" >"$dir/pw"
    [ "$(id -u)" = 0 ] && chown egovci "$dir/pw"
    as_owner "'$initdb' -D '$dir/data' -U egov --pwfile='$dir/pw' --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >'$dir/initdb.log' 2>&1"
    # fsync off: a test server's data is thrown away; it only makes the suite slower.
    as_owner "'$pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start >/dev/null"
    echo "postgresql+psycopg://egov:$password@127.0.0.1:$port/postgres"
    ;;
stop)
    pg_ctl=$(find_bin pg_ctl)
    as_owner "'$pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1" || true
    rm -rf "$dir"
    ;;
esac
