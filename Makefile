# Thin wrappers over scripts/: each bootstraps Node >= 22 itself (scripts/env.sh).
.PHONY: demo test build bench
SHELL := /bin/bash

# env.sh, keeping the machine's global npmrc (e.g. its cafile) when it swaps in Node 24.
NODE_ENV = g="$${npm_config_globalconfig:-$$(npm config get globalconfig 2>/dev/null)}"; \
	if [ -f "$$g" ]; then export npm_config_globalconfig="$$g"; fi; source scripts/env.sh

# Opsloom with demo data on http://localhost:8080 (PORT, OPSLOOM_DATA_DIR as for `opsloom serve`).
demo:
	@bash scripts/demo.sh

# The whole suite: build, lint, typecheck, tests on SQLite + PostgreSQL, browser tests.
test:
	@bash scripts/test.sh

build:
	$(NODE_ENV) && npm run build

# Foundation benchmarks (cold start, memory, activity listing, live fan-out): prints figures.
# Builds only what the server needs (not the web app); 1,000 SSE sockets want >= 8192 fds.
bench:
	$(NODE_ENV) && tsc -b packages/api apps/server packages/cli && \
	{ [ "$$(ulimit -n)" = unlimited ] || [ "$$(ulimit -n)" -ge 8192 ] || ulimit -n 8192 || true; } && \
	npm run bench:foundation
