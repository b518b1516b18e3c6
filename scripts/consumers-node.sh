#!/usr/bin/env bash
# The consumer scenarios on the other Node versions users run (Node 20 is the machine's own; scripts/test.sh runs
# every scenario there): Node 22 and 24, from the npm registry's node-linux-<arch> packages, which ship the node
# binary inside the package. Each version installs once into a cache folder, then scripts/consumers.mjs runs with
# that node first on PATH (so the scenarios' npm, npx, node and tsc run on it too).
#
# Not every scenario: the ones whose outcome can depend on the Node version (installing the tarballs, running the
# bins, the Promise and Effect APIs on the installed packages, the chain's devnet on Anvil, Vitest). The manifests,
# the README type-check and the docs checks are the same on every Node and run once, on Node 20.
#
#   bash scripts/consumers-node.sh              (after `pnpm build`)
#   NODE_MAJORS="24" CONSUMERS_NODE_SCENARIOS=node-mock,promise bash scripts/consumers-node.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${INFERNET_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/infernet-ts/node}"
scenarios="${CONSUMERS_NODE_SCENARIOS:-node-mock,cli,promise,effect,chain,vitest}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "consumers-node: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac
status=0
for major in ${NODE_MAJORS:-22 24}; do
  dir="$cache/$major"
  bin="$dir/node_modules/node-linux-$arch/bin"
  if [ ! -x "$bin/node" ]; then
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{"private": true}' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-linux-$arch@$major" >/dev/null
  fi
  started=$(date +%s)
  echo "› consumers on Node $("$bin/node" --version) ($scenarios)"
  PATH="$bin:$PATH" node scripts/consumers.mjs --only "$scenarios" || status=$?
  echo "› consumers on Node $major took $(($(date +%s) - started)) s"
done
exit "$status"
