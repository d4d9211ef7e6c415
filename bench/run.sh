#!/usr/bin/env bash
# PortBank benchmark, one command: builds, starts a PostgreSQL- and Redis-backed PortBank on free loopback ports,
# warms it up, then measures in one run and prints a table and the ratios against the performance targets:
#   1. pgbench -c 32 (TPC-B-like) on a scratch database of the same PostgreSQL server
#   0. the set-based limit: bare SQL on PortBank's schema, groups of 200 transfers per transaction (pgbench -c 4),
#      the rate the write path approaches; about 16,500 transfers/s on a quiet 2-core machine (BENCH_LIMIT_REFERENCE)
#   2. single transfers over HTTP, 32 clients, uniform random accounts
#   3. batch transfers (transfers per second, not batches)
#   4. hot-account transfers, 32 clients (90% pay one merchant account)
#   5. balance reads, 64 clients, next to a plain 404 on the same socket (same token, same filters, no backing
#      service), and again on a second instance with the Redis cache detached; then paced at half the rate the 64
#      clients reached, for the latency of a server that is busy but not saturated
#   6. time from process start to ready, and RSS after the run
#
#   bench/run.sh              the full run (about 10 minutes)
#   bench/run.sh --smoke      a few seconds per step and no long warm-up; fails only when something errors
#   bench/run.sh --no-build   use target/portbank.jar and target/portbank-loadgen.jar as built (e.g. by `make test`)
#   bench/run.sh --profile    also record in every step a JFR profile of PortBank and PostgreSQL's wait events, and
#                             PortBank's native memory at the end
#
# Settings (environment), with their full-run defaults:
#   BENCH_WARMUP_SECONDS=60   mixed load before measuring, for the JIT
#   BENCH_STEP_SECONDS=30     measured time per step
#   BENCH_ACCOUNTS=10000      accounts per transfer step (uniform transfers rarely meet on an account);
#                             balance reads use 1000
#   BENCH_BATCH_SIZE=1000     transfers per batch call; BENCH_BATCH_CLIENTS=4
#   BENCH_PGBENCH_SCALE=32    pgbench scale: one branch per client, so no more branch contention than TPC-B implies
#   BENCH_POOL_SIZE=32        PortBank's DATABASE_POOL_SIZE
#   BENCH_JAVA_OPTS           JVM options for PortBank; by default the image's JAVA_TOOL_OPTIONS (from the Dockerfile)
#                             with -XX:MaxRAM set to the chart's memory limit, as in a pod; BENCH_LOADGEN_JAVA_OPTS
#                             for the load generator
#   BENCH_CDS=true            train a start-up cache first (an AOT cache on JDK 25+, else a class-data archive) and
#                             start PortBank with it
#   BENCH_DATABASE_SERVER=postgres://postgres@127.0.0.1:5432   BENCH_REDIS_URL=redis://127.0.0.1:6379
# Results (logs, JSON reports, summary.txt) go to target/bench/<time>/.
#
# Exit status: 0 when every step ran (and, in a full run, every measured target is met); 1 when a step failed;
# 3 when a full run missed a target.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false build=true profile=false
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=true ;;
        --no-build) build=false ;;
        --profile) profile=true ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench: unknown option $arg (try --help)" >&2; exit 1 ;;
    esac
done

if $smoke; then
    warmup=${BENCH_WARMUP_SECONDS:-3} step=${BENCH_STEP_SECONDS:-3} step_warmup=1
    accounts=${BENCH_ACCOUNTS:-100} read_accounts=100 batch_size=${BENCH_BATCH_SIZE:-50} pgbench_scale=${BENCH_PGBENCH_SCALE:-1}
else
    warmup=${BENCH_WARMUP_SECONDS:-60} step=${BENCH_STEP_SECONDS:-30} step_warmup=5
    accounts=${BENCH_ACCOUNTS:-10000} read_accounts=1000 batch_size=${BENCH_BATCH_SIZE:-1000} pgbench_scale=${BENCH_PGBENCH_SCALE:-32}
fi
if ! [[ $warmup =~ ^[0-9]+$ && $step =~ ^[0-9]+$ ]] || ((step < 2)); then
    echo "bench: BENCH_WARMUP_SECONDS and BENCH_STEP_SECONDS must be whole seconds, the step at least 2" >&2
    exit 1
fi
batch_clients=${BENCH_BATCH_CLIENTS:-4}
pool_size=${BENCH_POOL_SIZE:-32}
db_server=${BENCH_DATABASE_SERVER:-postgres://postgres@127.0.0.1:5432}
redis_url=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
# The JVM options the image and the chart ship, in a container with the chart's memory limit (-XX:MaxRAM stands in
# for the cgroup limit), so the memory measured is the memory a pod uses.
shipped_opts=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile)
pod_memory=$(awk '/^resources:/ { r = 1 } r && /limits:/ { l = 1 } l && /memory:/ { print $2; exit }' \
    charts/portbank/values.yaml)
read -r -a server_java_opts <<<"${BENCH_JAVA_OPTS:-$shipped_opts -XX:MaxRAM=${pod_memory%i}}"
if $profile; then
    server_java_opts+=(-XX:NativeMemoryTracking=summary)
fi
read -r -a loadgen_java_opts <<<"${BENCH_LOADGEN_JAVA_OPTS:-}"

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

for tool in psql pgbench curl jq; do
    command -v "$tool" >/dev/null || die "$tool is missing (pgbench: apt-get install postgresql-contrib)"
done
command -v wrk >/dev/null && have_wrk=true || have_wrk=false

JAVA_HOME="$(scripts/find-jdk.sh)"
export JAVA_HOME
java="$JAVA_HOME/bin/java"
jar=target/portbank.jar
loadgen_jar=target/portbank-loadgen.jar

if $build; then
    log "building with $JAVA_HOME"
    make --no-print-directory package
fi
for built in "$jar" "$loadgen_jar"; do
    [[ -f $built ]] || die "$built is missing; run without --no-build"
done
scripts/backing-services.sh >&2

out="target/bench/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
suffix="$(date +%s)_$$"
bank_db="portbank_bench_$suffix"
pgbench_db="pgbench_bench_$suffix"
limit_db="portbank_limit_$suffix"
server_pid="" nocache_pid=""

sql() { psql "$db_server/postgres" -qtAX -v ON_ERROR_STOP=1 -c "$1"; }

cleanup() {
    local status=$?
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 250); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    if [[ -n $nocache_pid ]]; then
        kill -KILL "$nocache_pid" 2>/dev/null || true
    fi
    sql "DROP DATABASE IF EXISTS $bank_db WITH (FORCE)" >/dev/null 2>&1 || true
    sql "DROP DATABASE IF EXISTS $limit_db WITH (FORCE)" >/dev/null 2>&1 || true
    sql "DROP DATABASE IF EXISTS $pgbench_db WITH (FORCE)" >/dev/null 2>&1 || true
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sql "CREATE DATABASE $bank_db"
sql "CREATE DATABASE $pgbench_db"
sql "CREATE DATABASE $limit_db"

# --- CPU accounting -------------------------------------------------------------------------------------------------

clock_ticks=$(getconf CLK_TCK)

# CPU ticks used so far by the given processes and their reaped children (utime+stime+cutime+cstime); no forks, so
# that a sample is quick even with many PostgreSQL backends.
ticks_of() {
    local total=0 pid stat
    local -a fields
    for pid in "$@"; do
        { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || continue # a backend that just ended
        read -r -a fields <<<"${stat##*) }"
        total=$((total + fields[11] + fields[12] + fields[13] + fields[14]))
    done
    echo "$total"
}

postgres_ticks() {
    local pids
    mapfile -t pids < <(pgrep -x postgres || true)
    ticks_of "${pids[@]}"
}

# CPU ticks the whole machine has been busy (user, nice, system, irq, softirq, steal).
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# "loadgen portbank postgres machine" CPU ticks now; the load generator's pid is $1.
# The PortBank being measured: the main instance, or the cache-detached one while its step runs.
measured_pid=""
cpu_sample() { echo "$(ticks_of "$1") $(ticks_of "$measured_pid") $(postgres_ticks) $(machine_ticks)"; }

# Percent of one core used between two samples taken $3 nanoseconds apart by the load generator, PortBank,
# PostgreSQL and everything else on the machine: "loadgen/portbank/postgres/other".
cpu_split() {
    local -a before after
    read -r -a before <<<"$1"
    read -r -a after <<<"$2"
    awk -v ns="$3" -v t="$clock_ticks" \
        -v a="$((after[0] - before[0]))" -v b="$((after[1] - before[1]))" -v c="$((after[2] - before[2]))" \
        -v m="$((after[3] - before[3]))" \
        'BEGIN { f = 100 / t / (ns / 1e9); other = m - a - b - c; if (other < 0) other = 0
                 printf "%d/%d/%d/%d", a * f, b * f, c * f, other * f }'
}

# The server's write-ahead log position now.
wal_lsn() { sql "SELECT pg_current_wal_lsn()"; }

# Writes to file $2 the CPU split over the next $step seconds, in which process $1 drives the load, and to $2's
# .wal sibling the WAL bytes written per second in the same window. It samples a little inside them, so that the
# load is still running at both ends. (Per-process and machine-wide counters are kept differently by the kernel;
# "other" is their difference, good to a few percent. The WAL is the whole server's: run on a quiet server.)
cpu_window() {
    local driver=$1 file=$2 before after started ended wal_before wal_after
    sleep 0.5
    wal_before=$(wal_lsn)
    started=$(date +%s%N) before=$(cpu_sample "$driver")
    sleep "$(awk -v s="$step" 'BEGIN { print s - 2.5 }')"
    ended=$(date +%s%N) after=$(cpu_sample "$driver")
    wal_after=$(wal_lsn)
    if kill -0 "$driver" 2>/dev/null; then
        cpu_split "$before" "$after" "$((ended - started))" >"$file"
        sql "SELECT pg_wal_lsn_diff('$wal_after', '$wal_before') / ($((ended - started)) / 1e9)" >"${file%.cpu}.wal"
    fi
}

# --- PortBank --------------------------------------------------------------------------------------------------------

serve_env=(HOST=127.0.0.1 PORT=0 ADMIN_PORT=0 DATABASE_URL="$db_server/$bank_db" REDIS_URL="$redis_url"
    AUTH_DEV_MODE=true RATE_LIMIT_PER_SECOND=0 RATE_LIMIT_READS_PER_SECOND=0 RATE_LIMIT_OPENINGS_PER_MINUTE=0
    DATABASE_POOL_SIZE="$pool_size" MALLOC_ARENA_MAX=2)

log "applying migrations to $bank_db"
env "${serve_env[@]}" "$java" -jar "$jar" migrate >"$out/migrate.log" 2>&1 || die "migrate failed: $(tail -3 "$out/migrate.log")"

# Class-data sharing: a training start writes what it loaded to a cache, the measured start maps it. With the same
# JVM options as the measured start: an AOT cache (JDK 25 and later) when the JDK has one, else a CDS archive.
# (The container image does the same at build time; see docs/run-in-docker.md.)
if [[ ${BENCH_CDS:-true} == true ]]; then
    if "$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
        cache_kind="AOT cache" cache="$out/portbank.aot"
        train_opt=-XX:AOTCacheOutput="$cache" use_opt=-XX:AOTCache="$cache"
    else
        cache_kind="class-data archive" cache="$out/portbank.jsa"
        train_opt=-XX:ArchiveClassesAtExit="$cache" use_opt=-XX:SharedArchiveFile="$cache"
    fi
    log "training the start-up cache: $cache_kind"
    env "${serve_env[@]}" "$java" "${server_java_opts[@]}" "$train_opt" -jar "$jar" \
        >"$out/cds-training.log" 2>&1 &
    training_pid=$!
    for _ in $(seq 1 300); do
        grep -q 'listening on' "$out/cds-training.log" && break
        sleep 0.1
    done
    # An AOT cache is written at exit, by a second JVM that the first starts and waits for.
    kill -TERM "$training_pid" 2>/dev/null || true
    wait "$training_pid" 2>/dev/null || true
    if [[ -s $cache ]]; then
        server_java_opts+=("$use_opt")
    else
        log "no $cache_kind was written; starting without one"
    fi
fi

log "starting PortBank (JVM options: ${server_java_opts[*]:-none})"
started_ns=$(date +%s%N)
env "${serve_env[@]}" "$java" "${server_java_opts[@]}" -jar "$jar" >"$out/server.log" 2>&1 &
server_pid=$! measured_pid=$!

api_port="" admin_port=""
for _ in $(seq 1 3000); do
    kill -0 "$server_pid" 2>/dev/null || die "PortBank exited: $(tail -5 "$out/server.log")"
    if [[ -z $admin_port ]]; then
        listening=$(grep -m1 -o 'listening on http://[^ ]* (admin http://[^)]*)' "$out/server.log" || true)
        if [[ -n $listening ]]; then
            api_port=$(sed 's/^listening on http:\/\/[^ ]*:\([0-9]*\) .*/\1/' <<<"$listening")
            admin_port=$(sed 's/.*(admin http:\/\/.*:\([0-9]*\))$/\1/' <<<"$listening")
        fi
    fi
    if [[ -n $admin_port ]] && curl -sf -o /dev/null "http://127.0.0.1:$admin_port/observe/health/ready"; then
        ready_ns=$(date +%s%N)
        break
    fi
    sleep 0.01
done
[[ -n ${ready_ns:-} ]] || die "PortBank did not become ready in 30 s: $(tail -5 "$out/server.log")"
ready_seconds=$(awk -v a="$started_ns" -v b="$ready_ns" 'BEGIN { printf "%.2f", (b-a)/1e9 }')
bank_url="http://127.0.0.1:$api_port"
log "PortBank ready in $ready_seconds s at $bank_url (pid $server_pid)"

# --- the load generator -----------------------------------------------------------------------------------------------

# Prints the line in $1 that matches $2 once it appears, or fails if process $3 ends first.
await_line() {
    local file=$1 pattern=$2 pid=$3
    until grep -q "$pattern" "$file" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
}

# Samples what the active sessions on database $1 wait for, twice a second for $step seconds; writes to file $2 how
# often each wait was seen ("CPU -": running) and how many samples were taken.
sample_waits() {
    local database=$1 file=$2 end
    end=$((SECONDS + step))
    while ((SECONDS < end)); do
        psql "$db_server/$database" -qtAX -F ' ' -c "SELECT '(samples)', ''
            UNION ALL SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-')
            FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
            AND pid <> pg_backend_pid()" || true
        sleep 0.5
    done | sort | uniq -c | sort -rn >"$file"
}

# run_load NAME SCENARIO CLIENTS [VAR=value...]: one load-generator run; its JSON report goes to $out/NAME.json
# and the CPU split over its measured window to $out/NAME.cpu.
run_load() {
    local name=$1 scenario=$2 clients=$3
    shift 3
    log "$name: $scenario, $clients clients, ${step} s"
    env BANK_URL="$bank_url" BANK_TOKEN_MODE=dev LOADGEN_FORMAT=json LOADGEN_SCENARIO="$scenario" \
        LOADGEN_CLIENTS="$clients" LOADGEN_ACCOUNTS="$accounts" LOADGEN_WARMUP_SECONDS="$step_warmup" \
        LOADGEN_DURATION_SECONDS="$step" "$@" \
        "$java" "${loadgen_java_opts[@]}" -jar "$loadgen_jar" \
        >"$out/$name.json" 2>"$out/$name.log" &
    local loadgen=$! sampler=""
    if await_line "$out/$name.log" "warming up" "$loadgen"; then
        sleep "$step_warmup"
        if $profile; then
            "$JAVA_HOME/bin/jcmd" "$server_pid" JFR.start name="$name" settings=profile duration="${step}s" \
                filename="$(pwd)/$out/$name.jfr" >/dev/null
            sample_waits "$bank_db" "$out/$name.waits" &
            sampler=$!
        fi
        cpu_window "$loadgen" "$out/$name.cpu"
    fi
    wait "$loadgen" || die "$name failed (exit $?): $(tail -5 "$out/$name.log"; jq -r '.invariants[]? |
        select(.passed | not) | "\(.name): \(.detail)"' "$out/$name.json" 2>/dev/null)"
    if [[ -n $sampler ]]; then
        wait "$sampler"
    fi
}

# json NAME FILTER DECIMALS: a number from a load report, rounded, or "-" when the report has none.
json() { round "$(jq -r "($2) // \"-\"" "$out/$1.json")" "$3"; }

# round NUMBER DECIMALS, leaving "-" as it is
round() { awk -v v="$1" -v d="$2" 'BEGIN { if (v == "-") print v; else printf("%." d "f", v) }'; }

# --- the steps --------------------------------------------------------------------------------------------------------

log "warming up for $warmup s (mixed load, batches included when the server has them)"
env BANK_URL="$bank_url" BANK_TOKEN_MODE=dev LOADGEN_FORMAT=json LOADGEN_SCENARIO=mixed LOADGEN_CLIENTS=32 \
    LOADGEN_ACCOUNTS="$accounts" LOADGEN_WARMUP_SECONDS=0 LOADGEN_DURATION_SECONDS="$warmup" \
    LOADGEN_BATCH_SIZE="$batch_size" "$java" "${loadgen_java_opts[@]}" -jar "$loadgen_jar" \
    >"$out/warmup.json" 2>"$out/warmup.log" || die "warm-up failed: $(tail -5 "$out/warmup.log")"

log "pgbench: initialising scale $pgbench_scale"
pgbench -i -q -s "$pgbench_scale" "$db_server/$pgbench_db" >"$out/pgbench-init.log" 2>&1 \
    || die "pgbench -i failed: $(tail -3 "$out/pgbench-init.log")"
log "pgbench: -c 32 -j 2 -M prepared, ${step} s"
# Two seconds longer than the measured window, so that pgbench still runs when the window closes.
pgbench -n -c 32 -j 2 -M prepared -T "$((step + 2))" "$db_server/$pgbench_db" >"$out/pgbench.log" 2>&1 &
pgbench_pid=$!
waits_pid=""
if $profile; then
    sample_waits "$pgbench_db" "$out/pgbench.waits" &
    waits_pid=$!
fi
cpu_window "$pgbench_pid" "$out/pgbench.cpu"
wait "$pgbench_pid" || die "pgbench failed: $(tail -3 "$out/pgbench.log")"
if [[ -n $waits_pid ]]; then
    wait "$waits_pid"
fi
pgbench_tps=$(round "$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out/pgbench.log" | tail -1)" 0)
pgbench_latency=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$out/pgbench.log")

# The set-based limit: what PostgreSQL itself does with PortBank's schema when the work arrives as bare set-based
# SQL in groups of 200 transfers, with no HTTP, no idempotency keys and no checks: the ceiling to approach.
log "set-based limit: PortBank's schema, groups of 200 transfers, pgbench -c 4, ${step} s"
env DATABASE_URL="$db_server/$limit_db" AUTH_DEV_MODE=true "$java" -jar "$jar" migrate >"$out/limit-migrate.log" 2>&1 \
    || die "migrating the limit database failed: $(tail -3 "$out/limit-migrate.log")"
psql "$db_server/$limit_db" -qX -v ON_ERROR_STOP=1 -f bench/set-based-limit-setup.sql >"$out/limit-setup.log" 2>&1 \
    || die "limit setup failed: $(tail -3 "$out/limit-setup.log")"
pgbench -n -c 4 -j 2 -T "$((step + 2))" -f bench/set-based-limit.sql "$db_server/$limit_db" >"$out/limit.log" 2>&1 &
limit_pid=$!
cpu_window "$limit_pid" "$out/limit.cpu"
wait "$limit_pid" || die "the set-based limit failed: $(tail -3 "$out/limit.log")"
limit_tps=$(round "$(awk '/^tps = / { print $3 * 200 }' "$out/limit.log" | tail -1)" 0)

run_load transfers transfers 32
run_load batch batch "$batch_clients" LOADGEN_BATCH_SIZE="$batch_size"
run_load hot hot-account 32
run_load balance balance-reads 64 LOADGEN_ACCOUNTS="$read_accounts"
run_load plain plain 64
# At saturation a closed loop's p99 is its queue: 64 clients over the rate (64 / 8,000/s is 8 ms on average). Paced
# at half that rate, calls timed from when they were due, the p99 is what a client of a busy server waits.
paced_rate=$(jq -r '(.calls.balance.completedPerSecond // 0) / 2 | floor' "$out/balance.json")
((paced_rate > 0)) || paced_rate=1
run_load balance-paced balance-reads 64 LOADGEN_ACCOUNTS="$read_accounts" LOADGEN_RATE="$paced_rate"

# Balance reads again on a second instance with the cache detached: the cache's own value, measured.
log "starting a second PortBank without REDIS_URL"
nocache_env=()
for setting in "${serve_env[@]}"; do
    [[ $setting == REDIS_URL=* ]] || nocache_env+=("$setting")
done
env "${nocache_env[@]}" DATABASE_MIGRATE_ON_START=false "$java" "${server_java_opts[@]}" -jar "$jar" \
    >"$out/server-nocache.log" 2>&1 &
nocache_pid=$!
for _ in $(seq 1 3000); do
    kill -0 "$nocache_pid" 2>/dev/null || die "the second PortBank exited: $(tail -5 "$out/server-nocache.log")"
    nocache_port=$(grep -m1 -o 'listening on http://[^ ]*' "$out/server-nocache.log" | sed 's/.*://' || true)
    [[ -n $nocache_port ]] && break
    sleep 0.01
done
cached_url=$bank_url
bank_url="http://127.0.0.1:$nocache_port" measured_pid=$nocache_pid
run_load balance-nocache balance-reads 64 LOADGEN_ACCOUNTS="$read_accounts"
bank_url=$cached_url measured_pid=$server_pid
kill -TERM "$nocache_pid" 2>/dev/null || true
wait "$nocache_pid" 2>/dev/null || true
nocache_pid=""

wrk_rps="-" wrk_p99="-"
if $have_wrk; then
    log "wrk: GET /openapi, 64 connections, ${step} s (a reference for the load generator's own cost)"
    wrk -t2 -c64 -d"${step}s" --latency "$bank_url/openapi" >"$out/wrk.log" 2>&1 || die "wrk failed"
    wrk_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out/wrk.log")
    wrk_p99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        printf "%.1f", v * (u == "us" ? 0.001 : u == "s" ? 1000 : 1) }' "$out/wrk.log")
fi

if $profile; then
    "$JAVA_HOME/bin/jcmd" "$server_pid" VM.native_memory summary >"$out/native-memory.txt"
    "$JAVA_HOME/bin/jcmd" "$server_pid" GC.heap_info >"$out/heap.txt"
fi
rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status")
peak_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
rss_mb=$((rss_kb / 1024)) peak_mb=$((peak_kb / 1024))

# --- the report -------------------------------------------------------------------------------------------------------

transfers_tps=$(json transfers .calls.transfer.completedPerSecond 0)
transfers_p99=$(json transfers .calls.transfer.latencyMs.p99 1)
batch_tps=$(json batch .calls.batch.completedPerSecond 0)
batch_p99=$(json batch .calls.batch.latencyMs.p99 1)
batch_note=$(jq -r '.notes[0] // ""' "$out/batch.json")
hot_tps=$(json hot .calls.transfer.completedPerSecond 0)
hot_p99=$(json hot .calls.transfer.latencyMs.p99 1)
balance_rps=$(json balance .calls.balance.completedPerSecond 0)
balance_p99=$(json balance .calls.balance.latencyMs.p99 1)
paced_rps=$(json balance-paced .calls.balance.completedPerSecond 0)
paced_p99=$(json balance-paced .calls.balance.latencyMs.p99 1)
plain_rps=$(json plain .calls.plain.completedPerSecond 0)
plain_p99=$(json plain .calls.plain.latencyMs.p99 1)
nocache_rps=$(json balance-nocache .calls.balance.completedPerSecond 0)
nocache_p99=$(json balance-nocache .calls.balance.latencyMs.p99 1)
cpu() { cat "$out/$1.cpu" 2>/dev/null || echo "-"; }
# WAL bytes per unit of work in step $1's window, at $2 units per second
wal_per() {
    local rate
    rate=$(cat "$out/$1.wal" 2>/dev/null || echo "-")
    if [[ $rate == "-" || $2 == "-" || $2 == "0" ]]; then echo "-"; else awk -v r="$rate" -v n="$2" 'BEGIN { printf "%.0f", r / n }'; fi
}
wal_pgbench=$(wal_per pgbench "$pgbench_tps")
wal_transfer=$(wal_per transfers "$transfers_tps")

# verdict MEASURED OP GOAL: met, missed or not measured
verdict() {
    if [[ $1 == "-" ]]; then
        echo "not measured"
    elif awk -v m="$1" -v g="$3" "BEGIN { exit !(m $2 g) }"; then
        echo "met"
    else
        echo "missed"
    fi
}
ratio() {
    if [[ $1 == "-" || $2 == "-" ]]; then
        echo "-"
    else
        awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
    fi
}

single_ratio=$(ratio "$transfers_tps" "$pgbench_tps")
batch_ratio=$(ratio "$batch_tps" "$pgbench_tps")
hot_ratio=$(ratio "$hot_tps" "$transfers_tps")
balance_ratio=$(ratio "$balance_rps" "$plain_rps")
cache_ratio=$(ratio "$balance_rps" "$nocache_rps")
wal_ratio=$(ratio "$wal_transfer" "$wal_pgbench")
limit_single=$(ratio "$transfers_tps" "$limit_tps")
limit_batch=$(ratio "$batch_tps" "$limit_tps")
# The limit as measured on a quiet machine of the reference kind: the figure to approach, next to this run's own.
limit_reference=${BENCH_LIMIT_REFERENCE:-16500}
reference_batch=$(ratio "$batch_tps" "$limit_reference")

{
    mode=$($smoke && echo "smoke" || echo "full")
    echo "PortBank benchmark ($mode): $(nproc) CPUs, warm-up ${warmup} s, ${step} s per step, ${accounts} accounts," \
        "pool $pool_size"
    echo
    printf '%-48s %-28s %9s  %s\n' "step" "result" "p99 ms" "CPU % loadgen/portbank/postgres/other"
    printf '%-48s %-28s %9s  %s\n' "1 pgbench -c 32 -j 2 -M prepared, scale $pgbench_scale" "$pgbench_tps tps" \
        "-" "$(cpu pgbench) (pgbench as loadgen; latency avg $pgbench_latency ms)"
    printf '%-48s %-28s %9s  %s\n' "0 set-based limit: bare SQL, groups of 200" "$limit_tps transfers/s" "-" \
        "$(cpu limit) (pgbench -c 4 as loadgen)"
    printf '%-48s %-28s %9s  %s\n' "2 transfers, 32 clients, uniform" "$transfers_tps transfers/s" \
        "$transfers_p99" "$(cpu transfers)"
    if [[ $batch_tps == "-" ]]; then
        printf '%-48s %-28s %9s  %s\n' "3 batch transfers" "not measured" "-" "${batch_note:-no result}"
    else
        printf '%-48s %-28s %9s  %s\n' "3 batch transfers, $batch_clients clients x $batch_size" \
            "$batch_tps transfers/s" "$batch_p99" "$(cpu batch)"
    fi
    printf '%-48s %-28s %9s  %s\n' "4 hot-account transfers, 32 clients" "$hot_tps transfers/s" "$hot_p99" "$(cpu hot)"
    printf '%-48s %-28s %9s  %s\n' "5 balance reads, 64 clients" "$balance_rps req/s" "$balance_p99" \
        "$(cpu balance)"
    printf '%-48s %-28s %9s  %s\n' "  plain 404 (same filters, same client)" "$plain_rps req/s" "$plain_p99" \
        "$(cpu plain)"
    printf '%-48s %-28s %9s  %s\n' "  balance reads paced at half that, 64 clients" "$paced_rps req/s" \
        "$paced_p99" "$(cpu balance-paced)"
    printf '%-48s %-28s %9s  %s\n' "  balance reads, Redis cache detached" "$nocache_rps req/s" "$nocache_p99" \
        "$(cpu balance-nocache)"
    $have_wrk && printf '%-48s %-28s %9s  %s\n' "  GET /openapi, wrk -t2 -c64 (reference)" "$wrk_rps req/s" \
        "$wrk_p99" ""
    printf '%-48s %-28s\n' "6 start to ready (schema already migrated)" "$ready_seconds s"
    printf '%-48s %-28s\n' "  RSS after the run" "$rss_mb MB (peak $peak_mb MB)"
    printf '%-48s %-28s\n' "WAL bytes per pgbench transaction" "$wal_pgbench"
    printf '%-48s %-28s\n' "WAL bytes per single transfer" "$wal_transfer"
    printf '%-48s %-28s\n' "single transfers / set-based limit" "$limit_single"
    printf '%-48s %-28s\n' "batch transfers / set-based limit" "$limit_batch"
    printf '%-48s %-28s\n' "batch transfers / reference limit $limit_reference/s" "$reference_batch"
    printf '%-48s %-28s\n' "balance reads, cache / no cache" "$cache_ratio"
    echo
    printf '%-36s %10s  %-10s %s\n' "target" "measured" "goal" "verdict"
    printf '%-36s %10s  %-10s %s\n' "single transfers / pgbench" "$single_ratio" ">= 1.5" \
        "$(verdict "$single_ratio" '>=' 1.5)"
    printf '%-36s %10s  %-10s %s\n' "batch transfers / pgbench" "$batch_ratio" ">= 20" \
        "$(verdict "$batch_ratio" '>=' 20)"
    printf '%-36s %10s  %-10s %s\n' "hot-account / uniform" "$hot_ratio" ">= 0.8" "$(verdict "$hot_ratio" '>=' 0.8)"
    printf '%-36s %10s  %-10s %s\n' "WAL per transfer / per TPC-B tx" "$wal_ratio" "<= 1.5" \
        "$(verdict "$wal_ratio" '<=' 1.5)"
    printf '%-36s %10s  %-10s %s\n' "balance reads / plain 404" "$balance_ratio" ">= 0.5" \
        "$(verdict "$balance_ratio" '>=' 0.5)"
    printf '%-36s %10s  %-10s %s\n' "balance read p99, saturated (ms)" "$balance_p99" "<= 10" \
        "$(verdict "$balance_p99" '<=' 10)"
    printf '%-36s %10s  %-10s %s\n' "balance read p99, half load (ms)" "$paced_p99" "<= 10" \
        "$(verdict "$paced_p99" '<=' 10)"
    printf '%-36s %10s  %-10s %s\n' "start to ready (s)" "$ready_seconds" "<= 1.5" \
        "$(verdict "$ready_seconds" '<=' 1.5)"
    printf '%-36s %10s  %-10s %s\n' "RSS after the run (MB)" "$rss_mb" "<= 256" "$(verdict "$rss_mb" '<=' 256)"
    echo
    echo "details: $out"
} | tee "$out/summary.txt"

missed=$(grep -c ' missed$' "$out/summary.txt" || true)
if ! $smoke && ((missed > 0)); then
    log "$missed target(s) missed"
    exit 3
fi
