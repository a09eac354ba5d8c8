#!/usr/bin/env bash
# Install the PostgreSQL server that tests/test_postgres.py starts on loopback (Debian's
# package; the test runs its own throw-away cluster and never touches a system one).
#
# Idempotent: does nothing when an initdb is already there. Run as root (as in CI) or
# with sudo.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    ls /usr/lib/postgresql/*/bin/initdb | tail -1
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "install-postgres.sh: need root (or sudo) to install postgresql" >&2
    exit 1
fi
echo "Installing postgresql with apt-get…"
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
# Debian starts a system cluster on install; the tests do not need it.
"${SUDO[@]}" service postgresql stop >/dev/null 2>&1 || true
ls /usr/lib/postgresql/*/bin/initdb | tail -1
