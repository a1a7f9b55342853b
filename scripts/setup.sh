#!/bin/sh
# Installs what Hearth needs: bubblewrap (sandbox namespaces) from the system's packages
# when it can, then the npm dependencies. Without bubblewrap Hearth still runs, on the
# plain-process driver, and says at start which guarantees are then missing.
set -e
cd "$(dirname "$0")/.."

if ! command -v bwrap >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    if [ -z "$SUDO" ] || command -v sudo >/dev/null 2>&1; then
      $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq bubblewrap >/dev/null \
        || echo "setup: could not install bubblewrap; continuing with the plain-process driver" >&2
    fi
  else
    echo "setup: no apt-get here; install bubblewrap yourself for sandboxed environments" >&2
  fi
fi

# The dev dependency aws-lambda-ric (AWS's runtime interface client, used by the test
# that compares a custom runtime with Hearth's Node runtime) builds libcurl and
# aws-lambda-cpp from source when installed: it needs autotools, libtool, cmake and a
# C++ compiler. `curl` itself serves the shell-script custom runtimes in the tests.
need=""
for tool in autoreconf:autoconf aclocal:automake libtoolize:libtool cmake:cmake make:make g++:g++ curl:curl; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need="$need ${tool#*:}"
done
if [ -n "$need" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq $need >/dev/null \
      || echo "setup: could not install$need; npm ci will fail to build aws-lambda-ric" >&2
  else
    echo "setup: install$need yourself (needed to build the dev dependency aws-lambda-ric)" >&2
  fi
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
