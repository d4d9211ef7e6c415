#!/bin/sh
#
# cds-training.sh APP_DIR - a build-time training run for PortBank's class-data sharing
# (AppCDS) archive. Runs in the Dockerfile's `cds` stage, which is built FROM the runtime
# image, because an archive fits only the JVM build that wrote it.
#
# The run records the classes that a start-up loads; later starts map them from the
# archive instead of finding, reading and verifying them in the jars. Writes
# APP_DIR/cds/serve.jsa and APP_DIR/cds/serve.args, an @argfile with the options that use
# the archive (the image's JDK_JAVA_OPTIONS points at it, so every `java` in the image,
# the HEALTHCHECK probe included, uses it). When the JVM cannot write an archive, or the
# archive does not map back in, serve.args stays empty and the image starts without one.
#
# POSIX sh on purpose: the runtime image may have no bash.

set -eu

app=${1:?usage: cds-training.sh APP_DIR}
jar="${app}/portbank.jar"
out="${app}/cds"
archive="${out}/serve.jsa"
log="${out}/training.log"
mkdir -p "${out}"
: >"${out}/serve.args"

# The server, with settings that pass validation but no database or Redis to talk to: a
# build has neither. The run covers configuration, logging, the JDBC driver and the
# connection pool, up to where PostgreSQL is found unreachable and the start-up fails.
# Should the server come up all the same, it is stopped with SIGTERM once it listens: a
# normal JVM exit, so the archive is written then too.
env AUTH_DEV_MODE=true \
    DATABASE_URL="postgres://portbank@127.0.0.1:9/portbank" \
    DATABASE_CONNECT_TIMEOUT_SECONDS=1 \
    REDIS_URL="redis://127.0.0.1:9" \
    HOST=127.0.0.1 PORT=0 ADMIN_PORT=0 SHUTDOWN_DRAIN_SECONDS=0 LOG_FORMAT=text \
    java -XX:ArchiveClassesAtExit="${archive}" -jar "${jar}" >"${log}" 2>&1 &
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

if [ ! -s "${archive}" ]; then
    echo "cds-training: no archive was written; the image starts without one. Training output:" >&2
    sed 's/^/  /' "${log}" >&2
    rm -f "${archive}"
# -Xshare:on turns "cannot map the archive" into an error instead of a silent fallback.
elif java -Xshare:on -XX:SharedArchiveFile="${archive}" -cp "${jar}" -version >/dev/null 2>&1; then
    echo "-XX:SharedArchiveFile=${archive} -Xshare:auto" >"${out}/serve.args"
    echo "cds-training: archive of $(du -k "${archive}" | cut -f1) KiB"
else
    echo "cds-training: the archive does not map back in; the image starts without one" >&2
    rm -f "${archive}"
fi
rm -f "${log}"
