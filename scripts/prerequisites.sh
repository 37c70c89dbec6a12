#!/usr/bin/env bash
# System packages Nightjar needs beyond npm. Installs the missing ones with apt-get when run as root on Debian/Ubuntu;
# otherwise says exactly what to install and exits 1.
#   (no option)  what the tests need: ffmpeg (media engine), Chromium (e2e browser), the DejaVu font (simulator labels),
#                Debian's mosquitto and openssl (MQTT tests, TLS), opencv-doc (real footage for the detection tests).
#                Used by .ci/run and by `npm test` (first step), so that a fresh machine needs no manual step.
#   --media      what running Nightjar needs: ffmpeg/ffprobe. Used by `npm start` when they are missing.
#   --demo       with --media: also the font the demo's simulated cameras burn their labels with.
set -euo pipefail
media_only=0
demo=0
for arg in "$@"; do
  case "$arg" in
    --media) media_only=1 ;;
    --demo) demo=1 ;;
    *) echo "[prerequisites] unknown option: $arg" >&2; exit 2 ;;
  esac
done
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
if [ "$media_only" = 0 ] || [ "$demo" = 1 ]; then
  # The camera simulator burns labels into its test clips with this font.
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
fi
if [ "$media_only" = 0 ]; then
  [ -x "$chromium" ] || missing+=(chromium)
  # The MQTT tests start a real broker (lib/mqtt/broker.testing.ts); mosquitto_passwd makes its password file.
  [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
  # The MQTT TLS test makes a throwaway CA and broker certificate with the openssl command (lib/mqtt/tls.test.ts).
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  # real footage for detection tests (vtest.avi, tree.avi; lib/detection/footage.testing.ts)
  [ -f /usr/share/doc/opencv-doc/examples/data/vtest.avi ] || missing+=(opencv-doc)
fi
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
