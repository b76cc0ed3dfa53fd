#!/usr/bin/env bash
# Installs what MarketIntel needs beyond the .NET SDK, once: redis-server (Redis runs as a local process when no
# container engine answers) and, for the browser tests, Debian's Chromium. Safe to run again.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [[ "${1:-}" == "--browser" ]] && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium)
fi
if ((${#need[@]} == 0)); then
  exit 0
fi

echo "Installing: ${need[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The Debian package may start a system-wide Redis on 6379; MarketIntel starts its own on a free port, so stop it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $sudo systemctl stop redis-server || true
fi
