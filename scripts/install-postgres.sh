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
# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"
apt_install postgresql
# Debian starts a system cluster on install; the tests do not need it.
service postgresql stop >/dev/null 2>&1 || true
ls /usr/lib/postgresql/*/bin/initdb | tail -1
