#!/usr/bin/env bash
# Install what the PDF exports need from Debian: Pango (WeasyPrint draws text with it), a font
# with wide glyph coverage, and poppler-utils (pdftotext and pdftoppm, which the PDF tests use
# to read and look at what was made).
#
#   scripts/install-pdf.sh
#
# Idempotent and quiet: prints nothing and installs nothing when all of it is present.
set -euo pipefail

need_apt=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils; do
    have "$package" || need_apt+=("$package")
done

# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"
apt_install "${need_apt[@]}"
