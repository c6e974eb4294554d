#!/usr/bin/env bash
# Makes sure the Debian packages the test suite runs against are installed:
#   postgresql               throwaway PostgreSQL 15 (scripts/pg-test.sh)
#   chromium                 browser tests (headless, through playwright-core)
#   prometheus-alertmanager  the real Alertmanager for the events integration
# As root: `apt-get update` once, then `apt-get install -y` only what is missing.
# As anyone else: print what is missing (and the command to install it) and fail.
set -euo pipefail
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
{ [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; } || missing+=(chromium)
{ [ -x /usr/bin/prometheus-alertmanager ] || command -v prometheus-alertmanager >/dev/null 2>&1; } || missing+=(prometheus-alertmanager)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: postgresql, chromium, prometheus-alertmanager present"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Keep the packages' own services (a system PostgreSQL cluster on :5432, an Alertmanager
# daemon) from starting: the tests start their own throwaway instances on 127.0.0.1.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
fi
cleanup() { [ "$own_policy" = 1 ] && rm -f "$policy"; return 0; }
trap cleanup EXIT

apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
