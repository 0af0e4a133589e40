#!/usr/bin/env bash
# Installs Debian's `chromium` and `chromium-driver` (chromedriver): the report test
# renders the HTML in headless Chromium, and the browser tests (tests/test_web_browser.py)
# drive `voice-interviewer serve` through Selenium, which needs the driver too.
# Idempotent: installs only the package(s) missing. Never fails the caller: without
# root or apt-get it says what to run and exits 0 (those tests then skip, saying why).
set -u

have_browser() {
    for name in chromium chromium-browser google-chrome; do
        command -v "$name" >/dev/null 2>&1 && return 0
    done
    return 1
}

have_driver() {
    command -v chromedriver >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromedriver ]
}

missing=()
have_browser || missing+=(chromium)
have_driver || missing+=(chromium-driver)

if [ ${#missing[@]} -eq 0 ]; then
    echo "install_chromium: chromium and chromedriver are installed ($(command -v chromedriver || echo /usr/lib/chromium/chromedriver))"
    exit 0
fi

skip() {
    echo "install_chromium: $1"
    echo "install_chromium: without ${missing[*]} the browser tests are skipped; to run them: sudo apt-get install -y ${missing[*]}"
    exit 0
}

command -v apt-get >/dev/null 2>&1 || skip "no apt-get on this system; install ${missing[*]} yourself"

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    skip "not root (and no password-less sudo)"
fi

echo "install_chromium: installing ${missing[*]} with apt-get..."
export DEBIAN_FRONTEND=noninteractive
# The package lists may be stale on a fresh machine: refresh them, then install.
if $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; then
    have_browser && have_driver || skip "apt-get finished but chromium or chromedriver is still not on PATH"
    echo "install_chromium: installed ${missing[*]} ($(command -v chromium) / $(command -v chromedriver || echo /usr/lib/chromium/chromedriver))"
else
    skip "apt-get could not install ${missing[*]}"
fi
exit 0
