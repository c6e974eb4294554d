#!/usr/bin/env bash
# The whole test suite (`make test`, `npm test`, and what .ci/run calls):
#   Node >= 22 bootstrap, npm ci when needed, Debian packages, build, lint, typecheck,
#   server/API/CLI tests on SQLite and a throwaway PostgreSQL, browser tests in Chromium.
# Every step runs even when an earlier one failed (except when the toolchain itself is
# missing), so one run shows every problem. The last line is `N passed, N failed[, N skipped]`
# summed over all vitest runs; the exit status is non-zero when any step or test failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

# apt-get, runuser (scripts/pg-test.sh) live in sbin, which a minimal PATH may lack.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin:/sbin" ;; esac
export PATH

SUITE_START=$(date +%s)
FAILED_STEPS=()
ARTIFACTS="$ROOT/.test-artifacts"
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/vitest-*.json

section() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
# step NAME COMMAND...: runs a step under a header, prints its time, records a failure.
step() {
  local name="$1"; shift
  section "$name"
  local start=$(date +%s) rc=0
  "$@" || rc=$?
  local took=$(( $(date +%s) - start ))
  if [ "$rc" = 0 ]; then
    echo "--- $name: ok (${took}s)"
  else
    echo "--- $name: FAILED with exit $rc (${took}s)"
    FAILED_STEPS+=("$name")
  fi
  return "$rc"
}
fatal() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# --- toolchain ---------------------------------------------------------------------
section "Node.js"
# The machine's npm may keep settings in its global npmrc (here: cafile for the registry's
# TLS proxy). npm looks that file up next to the running node, so keep pointing at the
# machine's one when env.sh puts the bootstrapped Node 24 first on PATH.
if [ -z "${npm_config_globalconfig:-}" ] && command -v npm >/dev/null 2>&1; then
  npm_config_globalconfig="$(npm config get globalconfig 2>/dev/null || true)"
  if [ -f "$npm_config_globalconfig" ]; then export npm_config_globalconfig; else unset npm_config_globalconfig; fi
fi
# shellcheck source=env.sh
source scripts/env.sh || fatal "could not bootstrap Node.js >= 22"
echo "node $(node --version), npm $(npm --version)"

install_deps() {
  if [ -d node_modules ] && [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "node_modules is up to date with package-lock.json"
  else
    echo "running npm ci"
    if command -v flock >/dev/null 2>&1; then flock /tmp/opsloom-npm.lock npm ci --no-audit --no-fund; else npm ci --no-audit --no-fund; fi || return 1
  fi
  # Native addons must match this Node's ABI (node_modules may come from another Node).
  node -e 'new (require("better-sqlite3"))(":memory:").close()' 2>/dev/null || {
    echo "better-sqlite3 does not load under node $(node --version): rebuilding it"
    npm rebuild better-sqlite3
  }
}
step "npm dependencies" install_deps || fatal "npm dependencies could not be installed"
step "system packages" bash scripts/ensure-system-deps.sh || true

# --- static checks -----------------------------------------------------------------
step "build" npm run build || true

lint() {
  if [ ! -f eslint.config.js ] && [ ! -f eslint.config.mjs ] && [ ! -f eslint.config.ts ]; then
    echo "NOTICE: no eslint.config.js yet: lint skipped"
    return 0
  fi
  npx eslint .
}
step "lint" lint || true
step "typecheck" npm run typecheck || true

# --- tests -------------------------------------------------------------------------
PG_STARTED=0
stop_pg() { [ "$PG_STARTED" = 1 ] && bash scripts/pg-test.sh stop; PG_STARTED=0; }
trap stop_pg EXIT
trap 'echo "interrupted"; exit 130' INT TERM

# A port (and so a data directory) of this run's own, so a run never reuses or stops a
# throwaway PostgreSQL that another run on the same machine is using.
if [ -z "${OPSLOOM_TEST_PG_PORT:-}" ]; then
  for port in $(seq 54329 54399); do
    if [ ! -e "/tmp/opsloom-test-pg-$port" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export OPSLOOM_TEST_PG_PORT="$port"; break
    fi
  done
fi
start_pg() {
  local url
  url="$(bash scripts/pg-test.sh start)" || return 1
  PG_STARTED=1
  export OPSLOOM_TEST_DATABASE_URL="$url"
  echo "PostgreSQL: $url"
}
# Required, so a missing PostgreSQL fails the storage tests instead of skipping them.
export OPSLOOM_TEST_REQUIRE_POSTGRES=1
# The real-Alertmanager integration test must run here, not skip.
export OPSLOOM_TEST_REQUIRE_ALERTMANAGER=1
step "throwaway PostgreSQL" start_pg || true

# `vitest run` with the default reporter on the terminal and a JSON report to count from.
vitest_run() {
  local report="$1"; shift
  npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
}
step "tests: server, API and CLI (SQLite + PostgreSQL)" vitest_run "$ARTIFACTS/vitest-node.json" || true

if [ -f vitest.browser.config.ts ]; then
  step "tests: browser (Chromium)" vitest_run "$ARTIFACTS/vitest-browser.json" -c vitest.browser.config.ts || true
else
  section "tests: browser (Chromium)"
  echo "NOTICE: no vitest.browser.config.ts yet: browser tests skipped"
fi

stop_pg

# --- summary -----------------------------------------------------------------------
section "summary ($(( $(date +%s) - SUITE_START ))s)"
# A vitest run that died before writing its report, or a test file that failed to load
# (it has no failed test but a failed status), counts as one failure.
counts="$(node - "$ARTIFACTS" "${FAILED_STEPS[@]}" <<'JS'
const fs = require('node:fs');
const [dir, ...failedSteps] = process.argv.slice(2);
let passed = 0, failed = 0, skipped = 0;
const runs = [['vitest-node.json', 'tests: server, API and CLI (SQLite + PostgreSQL)'], ['vitest-browser.json', 'tests: browser (Chromium)']];
for (const [file, step] of runs) {
  const path = `${dir}/${file}`;
  if (!fs.existsSync(path)) {
    if (failedSteps.includes(step)) { failed += 1; console.error(`${step}: no report (the run died)`); }
    continue;
  }
  const report = JSON.parse(fs.readFileSync(path, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed').length;
    if (suite.status === 'failed' && failedTests === 0) {
      failed += 1;
      console.error(`${suite.name}: failed to run: ${(suite.message || "a hook or import failed, see the errors above").split("\n")[0]}`);
    }
  }
  if (failedSteps.includes(step) && (report.numFailedTests ?? 0) === 0 && !(report.testResults ?? []).some((s) => s.status === 'failed')) {
    failed += 1; // vitest exited non-zero for a reason of its own (e.g. an unhandled error)
    console.error(`${step}: vitest exited non-zero without a failed test (see its output above)`);
  }
}
console.log(`${passed} ${failed} ${skipped}`);
JS
)" || counts="0 1 0"
read -r PASSED FAILED SKIPPED <<<"$counts"

if [ ${#FAILED_STEPS[@]} -gt 0 ]; then
  printf 'failed steps:'; printf ' [%s]' "${FAILED_STEPS[@]}"; printf '\n'
else
  echo "all steps passed"
fi
line="$PASSED passed, $FAILED failed"
[ "$SKIPPED" != 0 ] && line="$line, $SKIPPED skipped"
echo "$line"
[ ${#FAILED_STEPS[@]} -eq 0 ] && [ "$FAILED" = 0 ]
