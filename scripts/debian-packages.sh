#!/usr/bin/env bash
# Debian packages that tests run for real, installed once (./foresail test calls this first):
#   prometheus   the trader's /metrics scraped by a real Prometheus (TraderRealClientsTest)
# Idempotent: installs only what is missing. Needs root (CI machines run as root); elsewhere it
# says what to install and the tests that need it fail with the same message.
set -euo pipefail

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
[[ ${#need[@]} -eq 0 ]] && exit 0

if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: ${need[*]} missing and this is not a root Debian shell; install with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 0
fi
echo "foresail: installing Debian packages for the tests: ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
