#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer: $JAVA_HOME if it qualifies, else the newest one found in the usual places.
set -euo pipefail

readonly MIN_VERSION=21

major_version() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

qualifies() {
    [[ -x "$1/bin/javac" ]] && (( $(major_version "$1") >= MIN_VERSION ))
}

if [[ -n "${JAVA_HOME:-}" ]] && qualifies "$JAVA_HOME"; then
    echo "$JAVA_HOME"
    exit 0
fi

best="" best_version=0
for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [[ -d "$home" && ! -L "$home" ]] || continue
    qualifies "$home" || continue
    version=$(major_version "$home")
    if (( version > best_version )); then
        best="$home" best_version=$version
    fi
done

if [[ -z "$best" ]]; then
    echo "find-jdk: no JDK $MIN_VERSION+ found; install one (e.g. Temurin 21) or set JAVA_HOME" >&2
    exit 1
fi
echo "$best"
