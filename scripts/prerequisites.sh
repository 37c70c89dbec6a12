#!/usr/bin/env bash
# System packages Nightjar's tests need beyond npm: ffmpeg (media engine) and Chromium (e2e browser).
# Installs the missing ones with apt-get when run as root on Debian/Ubuntu; otherwise says what to install.
# Used by .ci/run and by `npm test` (first step), so that a fresh machine needs no manual step.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
# The camera simulator burns labels into its test clips with this font.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
[ -x "$chromium" ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
# unique
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[prerequisites] installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "[prerequisites] installed: ${missing[*]}"
else
  echo "[prerequisites] missing: ${missing[*]}" >&2
  echo "[prerequisites] install them, e.g.: sudo apt-get install ${missing[*]}  (or set CHROMIUM_PATH to a Chromium binary)" >&2
  exit 1
fi
