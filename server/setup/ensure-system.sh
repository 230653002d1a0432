#!/usr/bin/env bash
# Makes sure the machine has what the lab and its tests use beyond npm.
#
#   ensure-system.sh          (npm test)  tcpdump (capture), iproute2 and util-linux (a private
#                             network namespace per run), chromium (browser tests), tshark (checks
#                             exported pcapng files), CJK fonts (Chinese text in screenshots).
#                             Fails when something is missing and cannot be installed.
#   ensure-system.sh start    (npm start) only what capture needs: tcpdump and iproute2. Never
#                             fails: without them the lab starts without capture and says so.
#
# As root it installs what is missing from Debian's packages; otherwise it names the command.
set -euo pipefail

mode="${1:-test}"
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have tcpdump || need+=(tcpdump)
have ip || need+=(iproute2)
if [ "$mode" != "start" ]; then
  have unshare || need+=(util-linux)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  have tshark || need+=(tshark)
  if ! have fc-list || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then
    need+=(fonts-noto-cjk fontconfig)
  fi
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && have apt-get; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    exit 0
  fi
  echo "Could not install: ${need[*]}" >&2
  if [ "$mode" = "start" ]; then
    echo "Starting without packet capture; the page shows the socket events and says what is missing." >&2
    exit 0
  fi
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then install="apt-get install -y ${need[*]}"; else install="sudo apt-get install -y ${need[*]}"; fi
if [ "$mode" = "start" ]; then
  echo "Packet capture needs: ${need[*]}. Install with:  $install" >&2
  echo "Starting without packet capture meanwhile; the page shows the socket events and says what is missing." >&2
  exit 0
fi
echo "Missing system packages: ${need[*]}" >&2
echo "Install them with:  $install" >&2
exit 1
