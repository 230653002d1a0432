#!/usr/bin/env bash
# Makes sure the machine has what the lab and its tests use beyond npm: tcpdump (capture),
# iproute2 and util-linux (a private network namespace per run), chromium (browser tests),
# tshark (checks exported pcapng files), CJK fonts (Chinese text in screenshots).
# As root it installs what is missing from Debian's packages; otherwise it names them.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have tcpdump || need+=(tcpdump)
have ip || need+=(iproute2)
have unshare || need+=(util-linux)
[ -x /usr/bin/chromium ] || need+=(chromium)
have tshark || need+=(tshark)
if ! have fc-list || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then
  need+=(fonts-noto-cjk fontconfig)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && have apt-get; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi

echo "Missing system packages: ${need[*]}" >&2
echo "Install them with:  sudo apt-get install -y ${need[*]}" >&2
exit 1
