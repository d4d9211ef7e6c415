#!/usr/bin/env bash
#
# container-test.sh - build the PortBank image from the repository's Dockerfile and
# check it in real containers: port mapping, PORT override, readiness, the image's
# HEALTHCHECK, the non-root user, logs on stdout, a read-only root filesystem, a one-off
# `migrate`, and a clean exit 0 on `docker stop`.
#
# Runs as root on a Debian-family host that has PostgreSQL (127.0.0.1:5432, trust auth
# for user postgres) and Redis (127.0.0.1:6379). Nothing is pulled from an image
# registry: if no Docker engine answers, Debian's docker.io is installed and dockerd is
# started for the run (and stopped again); the BUILD_IMAGE and RUNTIME_IMAGE of the
# Dockerfile are replaced by local stand-ins built with debootstrap from the Debian
# mirror that the host's apt already uses. The stand-ins are cached between runs under
# a content-hash label, as are the Dockerfile's own layers.
#
# Usage: scripts/container-test.sh
#
# Optional environment:
#   CONTAINER_TEST_SUITE        Debian suite of the stand-in base images (default: trixie)
#   CONTAINER_TEST_JDK_PACKAGE  JDK package for the build stand-in (default: openjdk-21-jdk-headless)
#   CONTAINER_TEST_JRE_PACKAGE  JRE package for the runtime stand-in (default: openjdk-21-jre-headless)
#   CONTAINER_TEST_MIRROR       Debian mirror URL (default: the first Debian archive in the
#                               host's apt sources)
#   CONTAINER_TEST_IMAGE        tag of the image under test (default: portbank-ci/portbank:test)
#   CONTAINER_TEST_LOG_DIR      where build and container logs go (default: target/container-test)
#   PGHOST_PORT / REDIS_HOST_PORT  host ports of PostgreSQL and Redis (default: 5432 / 6379)
#
# Exit status: 0 only if every check passed. The last line reads "container-test: N passed,
# M failed"; every failure is also reported on its own line starting with "FAIL:".

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly BASE_DIR="${SCRIPT_DIR}/container"

readonly SUITE="${CONTAINER_TEST_SUITE:-trixie}"
readonly JDK_PACKAGE="${CONTAINER_TEST_JDK_PACKAGE:-openjdk-21-jdk-headless}"
readonly JRE_PACKAGE="${CONTAINER_TEST_JRE_PACKAGE:-openjdk-21-jre-headless}"
readonly IMAGE="${CONTAINER_TEST_IMAGE:-portbank-ci/portbank:test}"
readonly LOG_DIR="${CONTAINER_TEST_LOG_DIR:-${REPO_ROOT}/target/container-test}"
readonly PG_PORT="${PGHOST_PORT:-5432}"
readonly REDIS_PORT="${REDIS_HOST_PORT:-6379}"

readonly ROOTFS_IMAGE="portbank-ci/debian-rootfs:${SUITE}"
readonly BUILD_BASE_IMAGE="portbank-ci/build-base:${SUITE}"
readonly RUNTIME_BASE_IMAGE="portbank-ci/runtime-base:${SUITE}"
readonly HASH_LABEL="dev.portbank.ci.input-hash"
readonly TEST_LABEL="dev.portbank.ci.container-test"
readonly DATABASE="portbank_container_test"
readonly NAME_PREFIX="portbank-ct-$$"

readonly MIGRATE_TIMEOUT_S=120
readonly READY_TIMEOUT_S=120
readonly HEALTHY_TIMEOUT_S=120
readonly STOP_LIMIT_S=10

# The legacy builder needs no buildx plugin, and behaves the same with every docker client.
# The Dockerfile builds the same with BuildKit.
export DOCKER_BUILDKIT=0

# Set on the way, read later.
image_version=""       # org.opencontainers.image.version of the image under test
pg_forward_port=""     # where containers reach PostgreSQL on host.docker.internal
redis_forward_port=""  # where containers reach Redis on host.docker.internal
forwarded_port=""      # return value of start_forwarder
container_id=""        # return value of start_container
common_run_args=()     # see set_common_run_args

# State for cleanup and the summary.
started_dockerd_pid=""
created_docker0="false"
database_created="false"
forwarder_pids=()
work_dir=""
checks_passed=0
checks_failed=0
failures=()
declare -A figures=()

# ----------------------------------------------------------------------------- output

log() { printf '==> %s\n' "$*"; }
warn() { printf 'container-test: warning: %s\n' "$*" >&2; }

# Aborts the run: something that later steps depend on did not work.
die() {
    printf 'FAIL: %s\n' "$*"
    failures+=("$*")
    checks_failed=$((checks_failed + 1))
    exit 1
}

pass() {
    checks_passed=$((checks_passed + 1))
    printf '  ok    %s\n' "$*"
}

# Records a failed check and carries on with the next one.
fail() {
    checks_failed=$((checks_failed + 1))
    failures+=("$*")
    printf 'FAIL: %s\n' "$*"
}

# Prints the last lines of a log file, indented, to stderr.
show_tail() {
    local file=$1 lines=${2:-40}
    [[ -s ${file} ]] || return 0
    printf '  --- last %s lines of %s ---\n' "${lines}" "${file}" >&2
    tail -n "${lines}" "${file}" | sed 's/^/  | /' >&2
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Formats milliseconds as seconds with one decimal.
fmt_s() { printf '%d.%d s' $(($1 / 1000)) $((($1 % 1000) / 100)); }

# ---------------------------------------------------------------------------- helpers

require_root() {
    [[ ${EUID} -eq 0 ]] || die "must run as root (it may install packages and start dockerd)"
}

apt_updated="false"
# Installs Debian packages for commands that are missing: ensure_command CMD PACKAGE.
ensure_command() {
    local cmd=$1 package=$2
    command -v "${cmd}" >/dev/null 2>&1 && return 0
    log "installing ${package} (for ${cmd})"
    if [[ ${apt_updated} == false ]]; then
        apt-get update -qq >"${LOG_DIR}/apt-get.log" 2>&1 || {
            show_tail "${LOG_DIR}/apt-get.log"
            die "apt-get update failed"
        }
        apt_updated="true"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${package}" \
        >>"${LOG_DIR}/apt-get.log" 2>&1 || {
        show_tail "${LOG_DIR}/apt-get.log"
        die "apt-get install ${package} failed"
    }
    command -v "${cmd}" >/dev/null 2>&1 || die "${package} is installed but ${cmd} is still not on PATH"
}

# Prints the first Debian archive (not the security archive) configured for the host's apt.
host_debian_mirror() {
    local files=() file
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -r ${file} ]] && files+=("${file}")
    done
    ((${#files[@]})) || return 0
    # One-line format: "deb [options] URI suite...". deb822 format: "URIs: URI...".
    awk '
        $1 == "deb"              { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }
        tolower($1) == "uris:"   { for (i = 2; i <= NF; i++) print $i }
    ' "${files[@]}" 2>/dev/null |
        awk '/\/debian\/?$/ && !found { sub(/\/+$/, ""); print; found = 1 }'
}

# Prints the value of the content-hash label of an image, or nothing if there is no such image.
image_hash() {
    docker image inspect --format "{{ index .Config.Labels \"${HASH_LABEL}\" }}" "$1" 2>/dev/null || true
}

# Prints a port number that nothing listens on, on any address, starting at $1.
free_port() {
    local port
    for ((port = $1; port < $1 + 200; port++)); do
        if [[ -z $(ss -Hltn "sport = :${port}") ]]; then
            echo "${port}"
            return 0
        fi
    done
    die "no free TCP port in $1..$(($1 + 199))"
}

# Prints the host port that docker mapped to a container port: mapped_port CONTAINER PORT.
mapped_port() {
    local binding
    binding=$(docker port "$1" "$2/tcp" | head -n 1)
    [[ -n ${binding} ]] || die "container $1 has no host port mapped to $2/tcp"
    echo "${binding##*:}"
}

# Prints the HTTP status of a GET, or 000 if no HTTP response came back.
http_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true
}

container_state() {
    docker inspect --format '{{.State.Status}}' "$1" 2>/dev/null || echo "gone"
}

# ---------------------------------------------------------------------------- cleanup

cleanup() {
    local status=$?
    set +e
    # Every container this run started, found by name: even one whose `docker run` failed.
    local name
    for name in $(docker ps -a --filter "name=${NAME_PREFIX}-" --format '{{.Names}}' 2>/dev/null); do
        docker logs "${name}" >"${LOG_DIR}/container-${name#"${NAME_PREFIX}"-}.log" 2>&1
        docker rm -f "${name}" >/dev/null 2>&1
    done
    local pid
    for pid in "${forwarder_pids[@]}"; do
        kill "${pid}" 2>/dev/null
        wait "${pid}" 2>/dev/null
    done
    if [[ ${database_created} == true ]]; then
        psql_admin -c "DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)" >/dev/null ||
            warn "could not drop database ${DATABASE}"
    fi
    # Images of earlier builds on the stand-ins (they inherit the stand-ins' label), left
    # untagged by this one: keeps the disk in check on a machine that runs this often.
    docker image prune --force --filter "label=${HASH_LABEL}" >/dev/null 2>&1
    if [[ -n ${started_dockerd_pid} ]]; then
        log "stopping the dockerd this script started (pid ${started_dockerd_pid})"
        kill -TERM "${started_dockerd_pid}" 2>/dev/null
        local waited=0
        while kill -0 "${started_dockerd_pid}" 2>/dev/null && ((waited < 30)); do
            sleep 1
            waited=$((waited + 1))
        done
        kill -0 "${started_dockerd_pid}" 2>/dev/null && warn "dockerd (pid ${started_dockerd_pid}) did not stop in 30 s"
        [[ ${created_docker0} == true ]] && ip link delete docker0 2>/dev/null
    fi
    if [[ -n ${work_dir} ]]; then
        umount --recursive "${work_dir}"/rootfs/proc "${work_dir}"/rootfs/sys 2>/dev/null
        rm -rf --one-file-system "${work_dir}"
    fi
    return "${status}"
}

# ------------------------------------------------------------------------ prerequisites

# Host tools and services, checked before anything slow starts.
check_prerequisites() {
    ensure_command curl curl
    ensure_command ss iproute2
    ensure_command ip iproute2
    ensure_command socat socat
    ensure_command psql postgresql-client
    psql_admin -c 'SELECT 1' >/dev/null 2>&1 ||
        die "PostgreSQL does not answer on 127.0.0.1:${PG_PORT} as user postgres"
    redis_ping || die "Redis does not answer PING on 127.0.0.1:${REDIS_PORT}"
}

# ------------------------------------------------------------------------ docker engine

ensure_docker() {
    ensure_command docker docker.io
    if docker info >/dev/null 2>&1; then
        log "using the running Docker engine ($(docker version --format '{{.Server.Version}}'))"
        return 0
    fi
    ensure_command dockerd docker.io
    ip link show docker0 >/dev/null 2>&1 || created_docker0="true"
    log "starting dockerd (log: ${LOG_DIR}/dockerd.log)"
    # No iptables rules and no ip_forward change: port publishing goes through docker-proxy,
    # and nothing here needs containers to reach beyond this machine, so the host's firewall
    # and routing stay exactly as they were.
    dockerd --iptables=false --ip-forward=false >"${LOG_DIR}/dockerd.log" 2>&1 &
    started_dockerd_pid=$!
    local waited=0
    until docker info >/dev/null 2>&1; do
        if ! kill -0 "${started_dockerd_pid}" 2>/dev/null; then
            started_dockerd_pid=""
            show_tail "${LOG_DIR}/dockerd.log"
            die "dockerd exited during start-up"
        fi
        ((waited++ < 60)) || {
            show_tail "${LOG_DIR}/dockerd.log"
            die "dockerd did not answer within 60 s"
        }
        sleep 1
    done
    log "dockerd $(docker version --format '{{.Server.Version}}') is up"
}

# ------------------------------------------------------------------- stand-in base images

# Debian root filesystem from debootstrap, slimmed like the official -slim images.
build_rootfs_image() {
    local mirror=$1 hash=$2
    if [[ $(image_hash "${ROOTFS_IMAGE}") == "${hash}" ]]; then
        log "reusing ${ROOTFS_IMAGE}"
        return 0
    fi
    ensure_command debootstrap debootstrap
    local rootfs="${work_dir}/rootfs"
    log "debootstrap ${SUITE} (minbase) into a scratch directory (log: ${LOG_DIR}/debootstrap.log)"
    debootstrap --variant=minbase "${SUITE}" "${rootfs}" "${mirror}" >"${LOG_DIR}/debootstrap.log" 2>&1 || {
        show_tail "${LOG_DIR}/debootstrap.log"
        die "debootstrap of Debian ${SUITE} failed"
    }
    # Leave documentation, manuals and translations out of this and every later install.
    cat >"${rootfs}/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
    cat >"${rootfs}/etc/apt/apt.conf.d/no-recommends" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
    find "${rootfs}/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    # Keep the manual directories: update-alternatives (openjdk's postinst) links into them.
    find "${rootfs}/usr/share/man" "${rootfs}/usr/share/info" ! -type d -delete
    mkdir -p "${rootfs}/usr/share/man/man1"
    find "${rootfs}/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    rm -rf "${rootfs}"/var/cache/apt/archives/*.deb "${rootfs}"/var/cache/apt/*.bin "${rootfs}"/var/lib/apt/lists/*
    log "importing the root filesystem as ${ROOTFS_IMAGE}"
    tar -C "${rootfs}" --numeric-owner -c . |
        docker import --change "LABEL ${HASH_LABEL}=${hash}" --change 'CMD ["/bin/bash"]' - "${ROOTFS_IMAGE}" >/dev/null
    rm -rf --one-file-system "${rootfs}"
}

# Copies the CA certificates that the host trusts beyond its distribution's set into $1:
# regular files in /usr/local/share/ca-certificates and /etc/ssl/certs (the distribution's
# own entries there are symlinks). A build behind a TLS-inspecting egress proxy needs them
# to reach Maven Central from inside the build container, exactly as the host does.
collect_local_ca_certs() {
    local dest=$1 file name
    mkdir -p "${dest}"
    for file in /usr/local/share/ca-certificates/*.crt /usr/local/share/ca-certificates/*/*.crt /etc/ssl/certs/*.pem; do
        [[ -f ${file} && ! -L ${file} ]] || continue
        grep -q 'BEGIN CERTIFICATE' "${file}" || continue
        name=$(basename "${file}")
        cp "${file}" "${dest}/${name%.*}.crt"
    done
}

# build_base_image TAG DOCKERFILE HASH CONTEXT-DIR|- [BUILD-ARG...]
build_base_image() {
    local tag=$1 dockerfile=$2 hash=$3 context=$4
    shift 4
    if [[ $(image_hash "${tag}") == "${hash}" ]]; then
        log "reusing ${tag}"
        return 0
    fi
    local logfile
    logfile="${LOG_DIR}/$(basename "${dockerfile}" .Dockerfile).log"
    log "building ${tag} (log: ${logfile})"
    local args=(--network host --force-rm --label "${HASH_LABEL}=${hash}" --build-arg "ROOTFS_IMAGE=${ROOTFS_IMAGE}")
    local arg
    for arg in "$@"; do args+=(--build-arg "${arg}"); done
    if [[ ${context} == - ]]; then
        docker build "${args[@]}" -t "${tag}" - <"${dockerfile}"
    else
        docker build "${args[@]}" -t "${tag}" -f "${dockerfile}" "${context}"
    fi >"${logfile}" 2>&1 || {
        show_tail "${logfile}"
        die "building the stand-in base image ${tag} failed"
    }
}

build_base_images() {
    local mirror="${CONTAINER_TEST_MIRROR:-$(host_debian_mirror)}"
    [[ -n ${mirror} ]] || die "found no Debian mirror in the host's apt sources; set CONTAINER_TEST_MIRROR"
    local build_context="${work_dir}/build-base-context"
    collect_local_ca_certs "${build_context}/local-ca"

    local rootfs_hash build_hash runtime_hash
    rootfs_hash=$(printf '%s\n' "${SUITE}" "${mirror}" "$(declare -f build_rootfs_image)" | sha256sum | cut -c1-32)
    build_hash=$(printf '%s\n' "${rootfs_hash}" "${JDK_PACKAGE}" |
        cat - "${BASE_DIR}/build-base.Dockerfile" "${build_context}"/local-ca/* 2>/dev/null | sha256sum | cut -c1-32)
    runtime_hash=$(printf '%s\n' "${rootfs_hash}" "${JRE_PACKAGE}" |
        cat - "${BASE_DIR}/runtime-base.Dockerfile" | sha256sum | cut -c1-32)

    local started
    started=$(now_ms)
    build_rootfs_image "${mirror}" "${rootfs_hash}"
    build_base_image "${BUILD_BASE_IMAGE}" "${BASE_DIR}/build-base.Dockerfile" "${build_hash}" "${build_context}" \
        "JDK_PACKAGE=${JDK_PACKAGE}"
    build_base_image "${RUNTIME_BASE_IMAGE}" "${BASE_DIR}/runtime-base.Dockerfile" "${runtime_hash}" - \
        "JRE_PACKAGE=${JRE_PACKAGE}"
    figures[bases]=$(fmt_s $(($(now_ms) - started)))
}

# --------------------------------------------------------------------- image under test

# The project's version from pom.xml (the first <version> outside <parent>), plus the
# commit when there is one: the image's org.opencontainers.image.version label.
project_version() {
    local version commit
    version=$(awk '
        /<parent>/ { parent = 1 } /<\/parent>/ { parent = 0; next }
        !parent && match($0, /<version>[^<]+<\/version>/) {
            print substr($0, RSTART + 9, RLENGTH - 19); exit
        }' "${REPO_ROOT}/pom.xml")
    commit=$(git -C "${REPO_ROOT}" rev-parse --short HEAD 2>/dev/null || true)
    echo "${version:-unknown}${commit:++${commit}}"
}

# docker build of the repository's Dockerfile against the stand-in base images, with
# extra arguments such as -t or --target.
docker_build_repo() {
    docker build --network host --force-rm \
        --build-arg "BUILD_IMAGE=${BUILD_BASE_IMAGE}" \
        --build-arg "RUNTIME_IMAGE=${RUNTIME_BASE_IMAGE}" \
        --build-arg "VERSION=${image_version}" \
        --label "${TEST_LABEL}=true" \
        "$@" "${REPO_ROOT}"
}

build_image() {
    local logfile="${LOG_DIR}/image-build.log" started
    log "building ${IMAGE} from the repository's Dockerfile (log: ${logfile})"
    started=$(now_ms)
    docker_build_repo -t "${IMAGE}" >"${logfile}" 2>&1 || {
        show_tail "${logfile}" 60
        die "docker build of the repository's Dockerfile failed (see ${logfile})"
    }
    figures[build]=$(fmt_s $(($(now_ms) - started)))
    # Tag the intermediate stages too (all cached, so this takes seconds): the clean-up
    # prunes untagged images built on the stand-ins, and must leave this build's layer
    # cache, such as the Maven dependency layer, alone.
    local stage
    for stage in build cds; do
        docker_build_repo --target "${stage}" -t "${IMAGE%:*}-${stage}-stage:latest" >>"${logfile}" 2>&1 ||
            die "tagging the cached ${stage} stage failed (see ${logfile})"
    done
    local bytes
    bytes=$(docker image inspect --format '{{.Size}}' "${IMAGE}")
    figures[size]="$((bytes / 1000000)) MB"
    pass "image builds (${figures[build]}, ${figures[size]})"
}

check_image_config() {
    local user ports entrypoint health version
    user=$(docker image inspect --format '{{.Config.User}}' "${IMAGE}")
    if [[ ${user} == "10001:10001" || ${user} == "10001" ]]; then
        pass "image user is ${user}"
    else
        fail "image USER is '${user}', expected 10001:10001"
    fi
    ports=$(docker image inspect --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}' "${IMAGE}")
    if [[ " ${ports}" == *" 8080/tcp "* && " ${ports}" == *" 8081/tcp "* ]]; then
        pass "image exposes ${ports% }"
    else
        fail "image exposes '${ports}', expected 8080/tcp and 8081/tcp"
    fi
    entrypoint=$(docker image inspect --format '{{json .Config.Entrypoint}}' "${IMAGE}")
    if [[ ${entrypoint} == '["java","-jar","/app/portbank.jar"]' ]]; then
        pass "exec-form entrypoint ${entrypoint}"
    else
        fail "entrypoint is ${entrypoint}, expected [\"java\",\"-jar\",\"/app/portbank.jar\"]"
    fi
    health=$(docker image inspect --format '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "${IMAGE}")
    if [[ ${health} == *healthcheck* ]]; then
        pass "image has a HEALTHCHECK"
    else
        fail "image has no HEALTHCHECK running the healthcheck subcommand (got '${health}')"
    fi
    version=$(docker image inspect --format '{{ index .Config.Labels "org.opencontainers.image.version" }}' "${IMAGE}")
    if [[ -n ${version} ]]; then
        pass "OCI labels present (version ${version})"
    else
        fail "label org.opencontainers.image.version is missing"
    fi
}

# The class-data sharing archive made at build time maps into the final image's JVM: a
# JVM that rejects it (another JVM build, jar files changed after training) would start
# without it and say nothing.
check_cds_archive() {
    if docker run --rm --entrypoint sh "${IMAGE}" -c \
        'test -s /app/cds/serve.args && java @/app/cds/serve.args -Xshare:on -cp /app/portbank.jar -version' \
        >"${LOG_DIR}/cds.log" 2>&1; then
        pass "the CDS archive maps into the image's JVM"
    else
        show_tail "${LOG_DIR}/cds.log" 10
        fail "the CDS archive is missing or does not map (/app/cds/serve.args, checked with -Xshare:on)"
    fi
}

# ----------------------------------------------------------------- host services bridge

psql_admin() {
    PGOPTIONS="--client-min-messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${PG_PORT}" -U postgres -d postgres "$@"
}

# Sends PING to the host's Redis over bash's /dev/tcp; true if it answers +PONG.
redis_ping() {
    local reply
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash
    reply=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "PING\r\n" >&3 && head -c 5 <&3' _ "${REDIS_PORT}" 2>/dev/null) || return 1
    [[ ${reply} == "+PONG" ]]
}

# PostgreSQL and Redis listen on loopback only. Forward a port on the bridge gateway to each
# for the duration of the run: nothing in their configuration changes.
bridge_host_services() {
    psql_admin -c "DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)" -c "CREATE DATABASE ${DATABASE}" ||
        die "could not create the scratch database ${DATABASE}"
    database_created="true"

    local gateway
    gateway=$(bridge_gateway)
    [[ -n ${gateway} ]] || die "found no gateway address of Docker's default bridge network"
    start_forwarder "${gateway}" 15432 "${PG_PORT}"
    pg_forward_port=${forwarded_port}
    start_forwarder "${gateway}" 16379 "${REDIS_PORT}"
    redis_forward_port=${forwarded_port}
    log "PostgreSQL and Redis reachable from containers at host.docker.internal:${pg_forward_port} and :${redis_forward_port}"
    set_common_run_args
}

# Prints the host's address on Docker's default bridge, which is what host-gateway means to
# `docker run --add-host`. A fresh daemon leaves the gateway out of the network's IPAM
# config, so fall back to the bridge interface's own address.
bridge_gateway() {
    local gateway interface
    gateway=$(docker network inspect bridge --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}')
    if [[ -z ${gateway} ]]; then
        interface=$(docker network inspect bridge --format '{{index .Options "com.docker.network.bridge.name"}}')
        gateway=$(ip -4 -o addr show dev "${interface:-docker0}" | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
    fi
    echo "${gateway}"
}

# start_forwarder GATEWAY FIRST-CANDIDATE-PORT TARGET-PORT; sets forwarded_port. It listens
# on the bridge's gateway address only: reachable from this host's containers, not beyond.
start_forwarder() {
    local gateway=$1 port target=$3
    port=$(free_port "$2")
    socat "TCP-LISTEN:${port},bind=${gateway},reuseaddr,fork" "TCP:127.0.0.1:${target}" \
        </dev/null >>"${LOG_DIR}/socat.log" 2>&1 &
    forwarder_pids+=($!)
    local waited=0
    until [[ -n $(ss -Hltn "src ${gateway} and sport = :${port}") ]]; do
        ((waited++ < 50)) || die "socat did not start listening on ${gateway}:${port}"
        sleep 0.1
    done
    forwarded_port=${port}
}

# Arguments for `docker run` shared by every container of the test: the chart's runtime
# constraints (read-only root, writable /tmp, no capabilities) and the host services.
set_common_run_args() {
    # shellcheck disable=SC2054 # the commas belong to the --tmpfs option
    common_run_args=(
        --detach
        --label "${TEST_LABEL}=true"
        --read-only --tmpfs /tmp:rw,size=64m
        --cap-drop ALL --security-opt no-new-privileges
        --add-host host.docker.internal:host-gateway
        -e "DATABASE_URL=postgres://postgres@host.docker.internal:${pg_forward_port}/${DATABASE}"
        -e "DATABASE_USER=postgres"
        -e "REDIS_URL=redis://host.docker.internal:${redis_forward_port}"
        -e "AUTH_DEV_MODE=true"
        -e "AUTH_DEV_MODE_ALLOW_REMOTE=true"
        -e "LOG_FORMAT=text"
    )
}

# start_container NAME [docker run arguments...] IMAGE [command...]; sets container_id.
start_container() {
    local name="${NAME_PREFIX}-$1"
    shift
    # docker's stderr (e.g. its note that IPv4 forwarding is off, which nothing here needs)
    # goes to a log, shown only when the run fails.
    container_id=$(docker run --name "${name}" "${common_run_args[@]}" "$@" 2>"${LOG_DIR}/docker-run.log") || {
        show_tail "${LOG_DIR}/docker-run.log"
        die "docker run of ${name} failed"
    }
}

# wait_ready ID ADMIN-PORT; returns when /observe/health/ready answers 200.
wait_ready() {
    local id=$1 admin_port=$2 deadline status
    deadline=$(($(now_ms) + READY_TIMEOUT_S * 1000))
    while (($(now_ms) < deadline)); do
        status=$(http_status "http://127.0.0.1:${admin_port}/observe/health/ready")
        [[ ${status} == 200 ]] && return 0
        if [[ $(container_state "${id}") != running ]]; then
            docker logs "${id}" >"${LOG_DIR}/failed-start.log" 2>&1
            show_tail "${LOG_DIR}/failed-start.log"
            die "container ${id:0:12} exited ($(docker inspect --format '{{.State.ExitCode}}' "${id}")) before it was ready"
        fi
        sleep 0.1
    done
    docker logs "${id}" >"${LOG_DIR}/failed-start.log" 2>&1
    show_tail "${LOG_DIR}/failed-start.log"
    die "/observe/health/ready on the mapped admin port ${admin_port} did not answer 200 within ${READY_TIMEOUT_S} s (last: ${status})"
}

# --------------------------------------------------------------------------- the checks

check_migrate() {
    log "one-off: docker run IMAGE migrate"
    local id code
    start_container migrate "${IMAGE}" migrate
    id=${container_id}
    code=$(timeout "${MIGRATE_TIMEOUT_S}" docker wait "${id}") || code="no exit within ${MIGRATE_TIMEOUT_S} s"
    if [[ ${code} == 0 ]]; then
        pass "'docker run IMAGE migrate' exits 0"
    else
        docker logs "${id}" >"${LOG_DIR}/migrate.log" 2>&1
        show_tail "${LOG_DIR}/migrate.log"
        fail "'docker run IMAGE migrate' gave exit status ${code}, expected 0"
    fi
}

check_default_ports() {
    log "serving with the default ports: -p 127.0.0.1::8080 -p 127.0.0.1::8081 (read-only root, tmpfs /tmp, no capabilities)"
    local started id api_port admin_port status
    started=$(now_ms)
    start_container main -p 127.0.0.1::8080 -p 127.0.0.1::8081 "${IMAGE}"
    id=${container_id}
    api_port=$(mapped_port "${id}" 8080)
    admin_port=$(mapped_port "${id}" 8081)
    wait_ready "${id}" "${admin_port}"
    figures[ready]=$(fmt_s $(($(now_ms) - started)))
    pass "ready: /observe/health/ready is 200 on mapped admin port ${admin_port} (${figures[ready]} after docker run)"

    status=$(http_status "http://127.0.0.1:${api_port}/v1/accounts")
    if [[ ${status} != 000 ]]; then
        pass "API answers on mapped port ${api_port}: GET /v1/accounts -> ${status}"
    else
        fail "no HTTP response from GET /v1/accounts on mapped API port ${api_port} (container port 8080)"
    fi
    status=$(http_status "http://127.0.0.1:${api_port}/openapi")
    if [[ ${status} == 200 ]]; then
        pass "GET /openapi on the API port -> 200"
    else
        fail "GET /openapi on mapped API port ${api_port} gave ${status}, expected 200"
    fi
    status=$(http_status "http://127.0.0.1:${admin_port}/observe/metrics")
    if [[ ${status} == 200 ]]; then
        pass "GET /observe/metrics on the admin port -> 200"
    else
        fail "GET /observe/metrics on mapped admin port ${admin_port} gave ${status}, expected 200"
    fi

    check_process "${id}"
    check_stdout_log "${id}" "http://0.0.0.0:8080"
    check_healthcheck "${id}"
    check_stop "${id}"
}

# The JVM is PID 1 of the container (exec-form entrypoint, so it gets SIGTERM) and runs as
# UID/GID 10001. Read from /proc on the host: it needs no tool inside the image.
check_process() {
    local id=$1 pid comm uid gid
    pid=$(docker inspect --format '{{.State.Pid}}' "${id}")
    comm=$(cat "/proc/${pid}/comm" 2>/dev/null || echo "?")
    uid=$(awk '/^Uid:/ { print $2 }' "/proc/${pid}/status" 2>/dev/null || echo "?")
    gid=$(awk '/^Gid:/ { print $2 }' "/proc/${pid}/status" 2>/dev/null || echo "?")
    if [[ ${comm} == java ]]; then
        pass "the JVM is the container's PID 1"
    else
        fail "the container's PID 1 is '${comm}', not java: SIGTERM would not reach the JVM directly"
    fi
    if [[ ${uid} == 10001 && ${gid} == 10001 ]]; then
        pass "the process runs as uid ${uid}, gid ${gid}"
    else
        fail "the process runs as uid ${uid}, gid ${gid}; expected 10001/10001"
    fi
}

# check_stdout_log ID EXPECTED-ADDRESS
check_stdout_log() {
    local id=$1 address=$2 line
    line=$(docker logs "${id}" 2>/dev/null | grep -m 1 'PortBank listening on' || true)
    if [[ -z ${line} ]]; then
        if docker logs "${id}" 2>&1 >/dev/null | grep -q 'PortBank listening on'; then
            fail "the 'PortBank listening on' line goes to stderr, expected stdout"
        else
            fail "docker logs has no 'PortBank listening on' line"
        fi
    elif [[ ${line} != *"${address}"* ]]; then
        fail "the listening line does not name ${address}: ${line}"
    else
        pass "stdout has: ${line}"
    fi
}

check_healthcheck() {
    local id=$1 status deadline
    deadline=$(($(now_ms) + HEALTHY_TIMEOUT_S * 1000))
    while :; do
        status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "${id}")
        [[ ${status} == starting ]] || break
        (($(now_ms) < deadline)) || break
        sleep 1
    done
    if [[ ${status} == healthy ]]; then
        local probe_ms
        probe_ms=$(docker inspect --format '{{range .State.Health.Log}}{{.Start.UnixNano}} {{.End.UnixNano}}{{"\n"}}{{end}}' "${id}" |
            awk 'NF == 2 { last = ($2 - $1) / 1000000 } END { printf "%d", last }')
        figures[probe]=$(fmt_s "${probe_ms}")
        pass "HEALTHCHECK reports healthy (one probe takes ${figures[probe]})"
    else
        local probes
        probes=$(docker inspect --format '{{range .State.Health.Log}}exit {{.ExitCode}} {{json .Output}}{{"\n"}}{{end}}' "${id}" |
            awk 'NF' | tail -n 3 | paste -sd ';' -)
        if [[ ${status} == starting ]]; then
            status="still starting after ${HEALTHY_TIMEOUT_S} s"
        fi
        fail "HEALTHCHECK status is '${status:-none}', expected healthy; last probes: ${probes:-none}"
    fi
}

check_stop() {
    local id=$1 started elapsed code
    started=$(now_ms)
    docker stop "${id}" >/dev/null
    elapsed=$(($(now_ms) - started))
    code=$(docker inspect --format '{{.State.ExitCode}}' "${id}")
    figures[stop]="$(fmt_s "${elapsed}"), exit code ${code}"
    if [[ ${code} == 0 && ${elapsed} -lt $((STOP_LIMIT_S * 1000)) ]]; then
        pass "docker stop: exit code 0 after $(fmt_s "${elapsed}")"
    else
        fail "docker stop took $(fmt_s "${elapsed}") and the container exited ${code}; expected exit code 0 within ${STOP_LIMIT_S} s"
    fi
}

check_port_override() {
    log "serving with -e PORT=9000 -p 127.0.0.1::9000"
    local id api_port admin_port status
    start_container port9000 -e PORT=9000 -p 127.0.0.1::9000 -p 127.0.0.1::8081 "${IMAGE}"
    id=${container_id}
    api_port=$(mapped_port "${id}" 9000)
    admin_port=$(mapped_port "${id}" 8081)
    wait_ready "${id}" "${admin_port}"
    status=$(http_status "http://127.0.0.1:${api_port}/openapi")
    if [[ ${status} == 200 ]]; then
        pass "PORT=9000 moves the API: GET /openapi on mapped port ${api_port} -> 200"
    else
        fail "with PORT=9000, GET /openapi on mapped port ${api_port} (container port 9000) gave ${status}, expected 200"
    fi
    check_stdout_log "${id}" "http://0.0.0.0:9000"
    docker stop "${id}" >/dev/null
}

# -------------------------------------------------------------------------------- main

print_summary() {
    local jre=""
    if [[ -n $(image_hash "${RUNTIME_BASE_IMAGE}") ]]; then
        jre=$(docker run --rm --entrypoint sh "${RUNTIME_BASE_IMAGE}" -c 'java -version 2>&1' 2>/dev/null | head -n 1 || true)
    fi
    printf '\n== PortBank container test ==\n'
    summary_line "image" "${IMAGE}${figures[size]:+, ${figures[size]}}"
    summary_line "runtime base" "${RUNTIME_BASE_IMAGE}${jre:+ (${jre})}"
    summary_line "base images" "${figures[bases]:+${figures[bases]} (built or reused)}"
    summary_line "image build" "${figures[build]:-}"
    summary_line "time to ready" "${figures[ready]:+${figures[ready]} from docker run to /observe/health/ready 200}"
    summary_line "health probe" "${figures[probe]:-}"
    summary_line "docker stop" "${figures[stop]:-}"
    summary_line "total" "$((SECONDS / 60))m$((SECONDS % 60))s"
    local failure
    for failure in "${failures[@]}"; do
        printf '  FAIL: %s\n' "${failure}"
    done
}

# summary_line LABEL VALUE; prints nothing for an empty value (the run ended before it).
summary_line() {
    [[ -n $2 ]] && printf '  %-14s %s\n' "$1" "$2"
    return 0
}

finish() {
    local status=$?
    # A die() inside a command substitution exits only that subshell: count the abort here.
    if ((status != 0 && checks_failed == 0)); then
        checks_failed=1
        failures+=("aborted (exit status ${status}); see the message above")
    fi
    print_summary
    cleanup
    ((checks_failed == 0 && status == 0)) || status=1
    printf 'container-test: %d passed, %d failed\n' "${checks_passed}" "${checks_failed}"
    exit "${status}"
}

main() {
    require_root
    mkdir -p "${LOG_DIR}"
    image_version=$(project_version)
    work_dir=$(mktemp -d "${TMPDIR:-/tmp}/portbank-container-test.XXXXXX")
    trap finish EXIT
    trap 'exit 130' INT TERM

    check_prerequisites
    ensure_docker
    build_base_images
    build_image
    check_image_config
    check_cds_archive
    bridge_host_services
    check_migrate
    check_default_ports
    check_port_override
}

main "$@"
