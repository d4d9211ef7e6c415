#!/usr/bin/env bash
#
# container-setup.sh - make this machine ready for the image tests (`make image-test`):
# a Docker engine that answers, and local stand-ins for the Dockerfile's two base images.
# The same serves `mvn verify -Dportbank.backing=containers`, whose shared PostgreSQL and
# Redis are built on the runtime stand-in (scripts/container/{postgres,redis}.Dockerfile).
# Idempotent: it reuses what is already there and prints what it did.
#
# Nothing is pulled from an image registry. If no Docker engine answers, Debian's docker.io
# is installed and dockerd is started in the background, where it stays for the tests
# (`scripts/container-setup.sh stop` stops it again). The stand-ins for BUILD_IMAGE and
# RUNTIME_IMAGE are built with debootstrap from the Debian mirror that the host's apt
# already uses, and cached between runs under a content-hash label.
#
# Usage: scripts/container-setup.sh          engine and base images
#        scripts/container-setup.sh stop     stop the dockerd that an earlier run started
#
# Optional environment:
#   CONTAINER_TEST_SUITE        Debian suite of the stand-in base images (default: trixie)
#   CONTAINER_TEST_JDK_PACKAGE  JDK package for the build stand-in (default: openjdk-25-jdk-headless)
#   CONTAINER_TEST_JRE_PACKAGE  JRE package for the runtime stand-in (default: openjdk-25-jre-headless)
#   CONTAINER_TEST_MIRROR       Debian mirror URL (default: the first Debian archive in the
#                               host's apt sources)
#   CONTAINER_TEST_LOG_DIR      where the logs go (default: target/container-setup)
#
# The image tests find the stand-ins by their tags, portbank-ci/build-base:SUITE and
# portbank-ci/runtime-base:SUITE (see src/test/java/dev/portbank/image/PortBankImage.java).

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly BASE_DIR="${SCRIPT_DIR}/container"

readonly SUITE="${CONTAINER_TEST_SUITE:-trixie}"
readonly JDK_PACKAGE="${CONTAINER_TEST_JDK_PACKAGE:-openjdk-25-jdk-headless}"
readonly JRE_PACKAGE="${CONTAINER_TEST_JRE_PACKAGE:-openjdk-25-jre-headless}"
readonly LOG_DIR="${CONTAINER_TEST_LOG_DIR:-${REPO_ROOT}/target/container-setup}"

readonly ROOTFS_IMAGE="portbank-ci/debian-rootfs:${SUITE}"
readonly BUILD_BASE_IMAGE="portbank-ci/build-base:${SUITE}"
readonly RUNTIME_BASE_IMAGE="portbank-ci/runtime-base:${SUITE}"
readonly HASH_LABEL="dev.portbank.ci.input-hash"
# Outside target/, so that `mvn clean` does not forget which dockerd to stop.
readonly DOCKERD_PID_FILE="/run/portbank-ci-dockerd.pid"

# The legacy builder needs no buildx plugin, and behaves the same with every docker client.
export DOCKER_BUILDKIT=0

work_dir=""

log() { printf 'container-setup: %s\n' "$*"; }

die() {
    printf 'container-setup: FAILED: %s\n' "$*" >&2
    exit 1
}

# Prints the last lines of a log file, indented, to stderr.
show_tail() {
    local file=$1 lines=${2:-40}
    [[ -s ${file} ]] || return 0
    printf '  --- last %s lines of %s ---\n' "${lines}" "${file}" >&2
    tail -n "${lines}" "${file}" | sed 's/^/  | /' >&2
}

cleanup() {
    if [[ -n ${work_dir} ]]; then
        umount --recursive "${work_dir}"/rootfs/proc "${work_dir}"/rootfs/sys 2>/dev/null || true
        rm -rf --one-file-system "${work_dir}"
    fi
}

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

# ------------------------------------------------------------------------ docker engine

ensure_docker() {
    ensure_command docker docker.io
    if docker info >/dev/null 2>&1; then
        log "using the running Docker engine $(docker version --format '{{.Server.Version}}')"
        return 0
    fi
    ensure_command dockerd docker.io
    # dockerd creates the docker0 bridge; `stop` deletes it again only if it was not there before.
    local created_docker0="false"
    ip link show docker0 >/dev/null 2>&1 || created_docker0="true"
    log "starting dockerd in the background (log: ${LOG_DIR}/dockerd.log)"
    # No iptables rules and no ip_forward change: port publishing goes through docker-proxy,
    # and nothing here needs containers to reach beyond this machine, so the host's firewall
    # and routing stay exactly as they were. setsid: it outlives this script, for the tests.
    setsid dockerd --iptables=false --ip-forward=false </dev/null >"${LOG_DIR}/dockerd.log" 2>&1 &
    local pid=$!
    printf '%s %s\n' "${pid}" "${created_docker0}" >"${DOCKERD_PID_FILE}"
    local waited=0
    until docker info >/dev/null 2>&1; do
        if ! kill -0 "${pid}" 2>/dev/null; then
            rm -f "${DOCKERD_PID_FILE}"
            show_tail "${LOG_DIR}/dockerd.log"
            die "dockerd exited during start-up"
        fi
        ((waited++ < 60)) || {
            show_tail "${LOG_DIR}/dockerd.log"
            die "dockerd did not answer within 60 s"
        }
        sleep 1
    done
    log "dockerd $(docker version --format '{{.Server.Version}}') is up (pid ${pid}; stop it with: $0 stop)"
}

stop_docker() {
    if [[ ! -s ${DOCKERD_PID_FILE} ]]; then
        log "no dockerd started by this script is running"
        return 0
    fi
    local pid created_docker0 waited=0
    read -r pid created_docker0 <"${DOCKERD_PID_FILE}"
    if kill -TERM "${pid}" 2>/dev/null; then
        while kill -0 "${pid}" 2>/dev/null && ((waited < 30)); do
            sleep 1
            waited=$((waited + 1))
        done
        kill -0 "${pid}" 2>/dev/null && die "dockerd (pid ${pid}) did not stop in 30 s"
        log "stopped dockerd (pid ${pid})"
    else
        log "dockerd (pid ${pid}) had already stopped"
    fi
    if [[ ${created_docker0} == true ]] && ip link show docker0 >/dev/null 2>&1; then
        ip link delete docker0 && log "deleted the docker0 bridge that dockerd created"
    fi
    rm -f "${DOCKERD_PID_FILE}"
}

# ------------------------------------------------------------------- stand-in base images

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

# Debian root filesystem from debootstrap, slimmed like the official -slim images.
build_rootfs_image() {
    local mirror=$1 hash=$2
    if [[ $(image_hash "${ROOTFS_IMAGE}") == "${hash}" ]]; then
        log "reusing ${ROOTFS_IMAGE}"
        return 0
    fi
    ensure_command debootstrap debootstrap
    local rootfs="${work_dir}/rootfs"
    log "debootstrap ${SUITE} (minbase) from ${mirror} (log: ${LOG_DIR}/debootstrap.log)"
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

    build_rootfs_image "${mirror}" "${rootfs_hash}"
    build_base_image "${BUILD_BASE_IMAGE}" "${BASE_DIR}/build-base.Dockerfile" "${build_hash}" "${build_context}" \
        "JDK_PACKAGE=${JDK_PACKAGE}"
    build_base_image "${RUNTIME_BASE_IMAGE}" "${BASE_DIR}/runtime-base.Dockerfile" "${runtime_hash}" - \
        "JRE_PACKAGE=${JRE_PACKAGE}"
}

# Images of earlier test builds on the stand-ins (they inherit the stand-ins' label), left
# untagged by later ones: keeps the disk in check on a machine that runs the tests often.
# The tests tag the Dockerfile's intermediate stages, so their layer cache survives this.
prune_old_builds() {
    local before after
    before=$(docker images --quiet --filter dangling=true --filter "label=${HASH_LABEL}" | wc -l)
    ((before > 0)) || return 0
    docker image prune --force --filter "label=${HASH_LABEL}" >/dev/null
    after=$(docker images --quiet --filter dangling=true --filter "label=${HASH_LABEL}" | wc -l)
    log "removed $((before - after)) untagged images of earlier test builds"
}

main() {
    require_root
    mkdir -p "${LOG_DIR}"
    if [[ ${1:-} == stop ]]; then
        stop_docker
        return 0
    fi
    [[ $# -eq 0 ]] || die "unknown argument '$1' (usage: $0 [stop])"
    work_dir=$(mktemp -d "${TMPDIR:-/tmp}/portbank-container-setup.XXXXXX")
    trap cleanup EXIT
    ensure_command ip iproute2
    ensure_docker
    prune_old_builds
    build_base_images
    log "ready: BUILD_IMAGE=${BUILD_BASE_IMAGE} RUNTIME_IMAGE=${RUNTIME_BASE_IMAGE} on Docker $(docker version --format '{{.Server.Version}}')"
}

main "$@"
