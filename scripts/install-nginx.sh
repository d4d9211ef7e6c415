#!/usr/bin/env bash
# Installs nginx from Debian's packages when it is missing, for the rolling-restart fault test (RollingRestartIT),
# which runs its own nginx in front of three PortBank instances. The package's service is never started: the test
# starts nginx itself, with its own configuration, on a free port.
#
# Usage: scripts/install-nginx.sh     prints the path of the nginx binary on its last line
set -euo pipefail

find_nginx() {
    command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || return 1
}

if nginx_path="$(find_nginx)"; then
    echo "${nginx_path}"
    exit 0
fi

[[ ${EUID} -eq 0 ]] || { echo "install-nginx: nginx is missing and installing it needs root (apt-get install nginx-light)" >&2; exit 1; }
command -v apt-get >/dev/null 2>&1 || { echo "install-nginx: nginx is missing and there is no apt-get to install it" >&2; exit 1; }

# Keep the package's maintainer scripts from starting a system nginx on port 80.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [[ ! -e ${policy} ]]; then
    printf '#!/bin/sh\nexit 101\n' >"${policy}"
    chmod 755 "${policy}"
    created_policy=true
fi
cleanup() { if [[ ${created_policy} == true ]]; then rm -f "${policy}"; fi; }
trap cleanup EXIT

echo "install-nginx: installing nginx-light from Debian's packages" >&2
log=$(mktemp)
if ! { apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nginx-light; } \
        >"${log}" 2>&1; then
    tail -n 30 "${log}" >&2
    echo "install-nginx: apt-get install nginx-light failed" >&2
    exit 1
fi
rm -f "${log}"
nginx_path="$(find_nginx)" || { echo "install-nginx: nginx-light is installed but no nginx binary was found" >&2; exit 1; }
echo "${nginx_path}"
