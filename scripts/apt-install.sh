#!/usr/bin/env bash
# apt_install PACKAGE...: install Debian packages as root, or through sudo. Sourced by the
# other install scripts; installs nothing when given no package.
apt_install() {
    [ "$#" -gt 0 ] || return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "need root (or sudo) to install: $*" >&2
            return 1
        fi
        sudo=(sudo)
    fi
    echo "Installing $* with apt-get…"
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}
