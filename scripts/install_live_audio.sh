#!/bin/bash
# The userspace sound server that the live-audio tests (tests/test_live_audio.py) run through:
# PulseAudio with null sinks, no sound card needed (../shared/live-audio/README.md).
# Installs the Debian/Ubuntu packages when run as root and they are missing; otherwise says what
# is missing and exits 0 (the live tests then skip, naming the reason).
set -u
need=""
command -v pulseaudio >/dev/null || need="$need pulseaudio"
command -v pactl >/dev/null && command -v paplay >/dev/null && command -v parec >/dev/null || need="$need pulseaudio-utils"
[ -e /usr/share/alsa/alsa.conf.d/pulse.conf ] || [ -e /etc/alsa/conf.d/99-pulse.conf ] || need="$need libasound2-plugins"
command -v aplay >/dev/null || need="$need alsa-utils"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install_live_audio.sh: live-audio tests will skip; to run them install:$need" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "install_live_audio.sh: installing$need" >&2
timeout 600 apt-get install -y --no-install-recommends $need >/dev/null 2>&1 ||
  { timeout 300 apt-get update >/dev/null 2>&1 && timeout 600 apt-get install -y --no-install-recommends $need >/dev/null 2>&1; } ||
  echo "install_live_audio.sh: could not install$need; live-audio tests will skip" >&2
exit 0
