#!/usr/bin/env bash
# Installs Debian's chromium, used to check the HTML session report in a real
# headless browser (tests/test_report.py skips that one test without it).
# Idempotent, and never fails the caller: without root or apt-get it says why
# and exits 0.
set -u

for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
        echo "install_chromium: $name is already installed ($(command -v "$name"))"
        exit 0
    fi
done

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_chromium: no apt-get on this system; install Chromium yourself to run the browser check"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install_chromium: not root (and no password-less sudo); run: sudo apt-get install -y chromium"
        exit 0
    fi
else
    SUDO=""
fi

echo "install_chromium: installing chromium with apt-get..."
export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null; then
    echo "install_chromium: installed $(command -v chromium)"
else
    echo "install_chromium: apt-get could not install chromium; the browser check in tests/test_report.py will be skipped"
fi
exit 0
