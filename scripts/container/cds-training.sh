#!/bin/sh
#
# cds-training.sh APP_DIR - a build-time training run for PortBank's start-up cache. Runs in
# the Dockerfile's `cds` stage, which is built FROM the runtime image, with the runtime
# image's JAVA_TOOL_OPTIONS, because the cache fits only the JVM build, and the JVM options,
# that wrote it.
#
# On a JVM with an AOT cache (JDK 25 and later: JEP 483, 514, 515), the run writes one with
# -XX:AOTCacheOutput: the classes a start-up loads and links, some of their heap objects and
# method profiles. On an older JVM (JDK 21) it writes a class-data sharing (AppCDS) archive
# with -XX:ArchiveClassesAtExit instead: the classes alone. Either way, later starts map them
# instead of finding, reading and verifying them in the jars.
#
# Writes APP_DIR/cds/serve.aot (or serve.jsa) and APP_DIR/cds/serve.args, an @argfile with
# the options that use it (the image's JDK_JAVA_OPTIONS points at it, so every `java` in the
# image, the HEALTHCHECK probe included, uses it). When the JVM cannot write the cache, or the
# cache does not map back in, serve.args stays empty and the image starts without one.
#
# POSIX sh on purpose: the runtime image may have no bash.

set -eu

app=${1:?usage: cds-training.sh APP_DIR}
jar="${app}/portbank.jar"
out="${app}/cds"
log="${out}/training.log"
mkdir -p "${out}"
: >"${out}/serve.args"

# -XX:AOTCacheOutput is a flag of JDKs that have an AOT cache; older ones refuse to start with it.
if java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
    kind="AOT cache"
    cache="${out}/serve.aot"
    train="-XX:AOTCacheOutput=${cache}"
    # AOTMode=on turns "cannot use the cache" into an error instead of a silent fallback.
    check="-XX:AOTMode=on -XX:AOTCache=${cache}"
    use="-XX:AOTCache=${cache}"
else
    kind="CDS archive"
    cache="${out}/serve.jsa"
    train="-XX:ArchiveClassesAtExit=${cache}"
    # -Xshare:on turns "cannot map the archive" into an error instead of a silent fallback.
    check="-Xshare:on -XX:SharedArchiveFile=${cache}"
    use="-XX:SharedArchiveFile=${cache} -Xshare:auto"
fi

# The server, with settings that pass validation but no database or Redis to talk to: a
# build has neither. The run covers configuration, logging, the JDBC driver and the
# connection pool, up to where PostgreSQL is found unreachable and the start-up fails.
# Should the server come up all the same, it is stopped with SIGTERM once it listens: a
# normal JVM exit, so the cache is written then too. (With an AOT cache, the JVM writes it
# at exit, from a second JVM that it starts and waits for.)
# shellcheck disable=SC2086 # ${train}: one option, no spaces
env AUTH_DEV_MODE=true \
    DATABASE_URL="postgres://portbank@127.0.0.1:9/portbank" \
    DATABASE_CONNECT_TIMEOUT_SECONDS=1 \
    REDIS_URL="redis://127.0.0.1:9" \
    HOST=127.0.0.1 PORT=0 ADMIN_PORT=0 SHUTDOWN_DRAIN_SECONDS=0 LOG_FORMAT=text \
    java ${train} -jar "${jar}" >"${log}" 2>&1 &
pid=$!
waited=0
while kill -0 "${pid}" 2>/dev/null && [ "${waited}" -lt 600 ]; do
    if grep -q 'PortBank listening on' "${log}"; then
        sleep 1
        break
    fi
    sleep 0.1
    waited=$((waited + 1))
done
kill -TERM "${pid}" 2>/dev/null || true
wait "${pid}" || true

# The same class path as the server's `java -jar portbank.jar`: the jar, and libs/ from its manifest.
# shellcheck disable=SC2086 # ${check}: two options
if [ ! -s "${cache}" ]; then
    echo "cds-training: no ${kind} was written; the image starts without one. Training output:" >&2
    sed 's/^/  /' "${log}" >&2
    rm -f "${cache}"
elif java ${check} -cp "${jar}" -version >/dev/null 2>&1; then
    echo "${use}" >"${out}/serve.args"
    echo "cds-training: ${kind} of $(du -k "${cache}" | cut -f1) KiB (${use})"
else
    echo "cds-training: the ${kind} does not map back in; the image starts without one" >&2
    rm -f "${cache}"
fi
rm -f "${log}" "${cache}.config"
