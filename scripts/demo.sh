#!/usr/bin/env bash
# `make demo`: Opsloom with demo data on the embedded SQLite database.
#   PORT (default 8080) and OPSLOOM_DATA_DIR (default ./data) as for `opsloom serve`.
# Bootstraps Node >= 22, runs `npm ci` when node_modules is missing or older than
# package-lock.json, builds everything (stops here if the build fails), then serves.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The machine's npm may keep settings in its global npmrc (here: cafile for the registry's
# TLS proxy). npm looks that file up next to the running node, so keep pointing at the
# machine's one when env.sh puts the bootstrapped Node 24 first on PATH.
if [ -z "${npm_config_globalconfig:-}" ] && command -v npm >/dev/null 2>&1; then
  npm_config_globalconfig="$(npm config get globalconfig 2>/dev/null || true)"
  if [ -f "$npm_config_globalconfig" ]; then export npm_config_globalconfig; else unset npm_config_globalconfig; fi
fi
# shellcheck source=env.sh
source scripts/env.sh
echo "==> node $(node --version)"

if [ -d node_modules ] && [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> node_modules is up to date"
else
  echo "==> npm ci"
  if command -v flock >/dev/null 2>&1; then flock /tmp/opsloom-npm.lock npm ci --no-audit --no-fund; else npm ci --no-audit --no-fund; fi
fi
node -e 'new (require("better-sqlite3"))(":memory:").close()' 2>/dev/null || {
  echo "==> better-sqlite3 does not load under node $(node --version): rebuilding it"
  npm rebuild better-sqlite3
}

echo "==> npm run build"
if ! npm run build; then
  echo >&2
  echo "demo: THE BUILD FAILED (see the errors above); not starting Opsloom." >&2
  exit 1
fi

export PORT="${PORT:-8080}"
export OPSLOOM_DATA_DIR="${OPSLOOM_DATA_DIR:-./data}"
echo "==> Opsloom with demo data on http://localhost:$PORT (data in $OPSLOOM_DATA_DIR; Ctrl-C stops it)"
exec node packages/cli/dist/main.js serve --demo
