#!/usr/bin/env bash
# Install what tests/test_browser.py needs: Debian's chromium (with a font, so the
# screenshots are legible) and the Python `playwright` package in the project's venv.
#
#   scripts/install-browser.sh [VENV]     # VENV defaults to .venv
#
# Idempotent: does nothing when both are already present. Meant for a fresh Debian 12
# machine, run as root (as in CI). Playwright's own browser download
# (`playwright install`) does not work here and is never used: the test launches
# /usr/bin/chromium through playwright's `executable_path`.
set -euo pipefail

VENV="${1:-.venv}"
CHROMIUM=/usr/bin/chromium

need_apt=()
if [ ! -x "$CHROMIUM" ]; then
    need_apt+=(chromium)
fi
# Fonts for legible screenshots: text, and the emoji Streamlit uses as page icons.
if [ ! -d /usr/share/fonts/truetype/dejavu ]; then
    need_apt+=(fonts-dejavu-core)
fi
if [ ! -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then
    need_apt+=(fonts-noto-color-emoji)
fi

# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"
apt_install "${need_apt[@]}"
"$CHROMIUM" --version 2>/dev/null  # (its launcher script warns about /dev/shm on some hosts)

if [ ! -x "$VENV/bin/python" ]; then
    echo "install-browser.sh: no Python venv at '$VENV' (run 'make install' first)" >&2
    exit 1
fi
if ! "$VENV/bin/python" -c "import playwright.sync_api" >/dev/null 2>&1; then
    echo "Installing the playwright package into $VENV…"
    "$VENV/bin/python" -m pip install -q playwright
fi
"$VENV/bin/python" -c "from importlib.metadata import version; print('playwright', version('playwright'))"
