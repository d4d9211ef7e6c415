#!/usr/bin/env bash
# Starts the local PostgreSQL and Redis when they are not answering (CI machines start them, but may have lost them).
set -euo pipefail

postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == "PONG" ]]; }

wait_for() {
    local name=$1 check=$2
    for _ in $(seq 1 30); do
        "$check" && { echo "backing-services: $name is up"; return 0; }
        sleep 1
    done
    echo "backing-services: $name did not come up" >&2
    return 1
}

if ! postgres_up; then
    echo "backing-services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
fi
wait_for PostgreSQL postgres_up

if ! redis_up; then
    echo "backing-services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for Redis redis_up
