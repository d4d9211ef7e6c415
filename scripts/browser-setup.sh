#!/usr/bin/env bash
# Installs what the console's browser test needs, only what is missing: Debian's Chromium (and Node.js) through
# apt-get, and the pinned playwright-core through `npm ci` from src/test/browser/package-lock.json. Playwright never
# downloads a browser of its own here. ConsoleBrowserIT runs this first, so `make test` works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
BROWSER_TESTS=src/test/browser

apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "browser-setup: $* missing and not root; install Debian's package(s) $* (apt-get install $*)" >&2
            exit 1
        fi
        sudo=(sudo -n)
    fi
    echo "browser-setup: installing $* from Debian's packages"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x "$CHROMIUM" ]; then
    apt_install chromium
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install nodejs npm
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "browser-setup: playwright-core needs Node.js 20 or newer, this is $(node --version)" >&2
    exit 1
fi

# npm ci only when node_modules is missing or older than the lock file.
installed="$BROWSER_TESTS/node_modules/.package-lock.json"
if [ ! -f "$installed" ] || [ "$BROWSER_TESTS/package-lock.json" -nt "$installed" ]; then
    echo "browser-setup: npm ci in $BROWSER_TESTS"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$BROWSER_TESTS" --no-audit --no-fund --loglevel=error
fi

"$CHROMIUM" --version 2>/dev/null
echo "browser-setup: node $(node --version), playwright-core $(node -p "require('./$BROWSER_TESTS/node_modules/playwright-core/package.json').version")"
