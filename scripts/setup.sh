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

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
