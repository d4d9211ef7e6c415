#!/usr/bin/env bash
# Throughput of one PortBank at several DATABASE_POOL_SIZE values, to choose the default from data: transfers
# (32 clients) and balance reads with the Redis cache detached (64 clients), 20 s each after 5 s of warm-up, on a
# scratch database per setting. Needs target/portbank.jar and target/portbank-loadgen.jar (make package) and the
# local PostgreSQL; the ports 18080/18081 must be free.
#
#   bench/pool-sizes.sh            # pools 4 8 16 32
#   bench/pool-sizes.sh 8 12 16
set -euo pipefail
cd "$(dirname "$0")/.."
java="$(scripts/find-jdk.sh)/bin/java"
server=${BENCH_DATABASE_SERVER:-postgres://postgres@127.0.0.1:5432}
pools=("$@")
((${#pools[@]})) || pools=(4 8 16 32)
out="target/bench/pool-sizes-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

for pool in "${pools[@]}"; do
    db="pool_sizes_${pool}_$$"
    psql "$server/postgres" -qc "CREATE DATABASE $db" >/dev/null
    env HOST=127.0.0.1 PORT=18080 ADMIN_PORT=18081 DATABASE_URL="$server/$db" AUTH_DEV_MODE=true \
        RATE_LIMIT_PER_SECOND=0 RATE_LIMIT_READS_PER_SECOND=0 RATE_LIMIT_OPENINGS_PER_MINUTE=0 \
        DATABASE_POOL_SIZE="$pool" "$java" -XX:+UseSerialGC -XX:MaxRAMPercentage=20 -XX:MaxRAM=512M \
        -jar target/portbank.jar >"$out/server-$pool.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        curl -sf http://127.0.0.1:18081/observe/health/ready >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { echo "PortBank exited: $(tail -3 "$out/server-$pool.log")" >&2; exit 1; }
        sleep 0.1
    done
    for scenario in transfers:32 balance-reads:64; do
        name=${scenario%:*}
        env BANK_URL=http://127.0.0.1:18080 BANK_TOKEN_MODE=dev LOADGEN_SCENARIO="$name" \
            LOADGEN_CLIENTS="${scenario#*:}" LOADGEN_ACCOUNTS=2000 LOADGEN_WARMUP_SECONDS=5 \
            LOADGEN_DURATION_SECONDS=20 "$java" -jar target/portbank-loadgen.jar >"$out/$name-$pool.txt" 2>&1 \
            || { echo "the load generator failed: $(tail -5 "$out/$name-$pool.txt")" >&2; kill "$pid"; exit 1; }
        printf 'pool %-4s %-14s %s\n' "$pool" "$name" \
            "$(awk '$1 == "transfer" || $1 == "balance" { print $4 "/s, p99 " $7 " ms" }' "$out/$name-$pool.txt")"
    done
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    psql "$server/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
done
