#!/usr/bin/env bash
# The Quick start main job: sets up the workspace, builds every package, then starts infernet-node-mock on a free
# port (and a local Anvil devnet) and walks the usage page with the infernet-client CLI against it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version 2>/dev/null)" != 10.* ]]; then
  echo "› installing pnpm 10 (npm i -g pnpm@10)"
  npm i -g pnpm@10 >/dev/null
fi
export NX_DAEMON=false NX_NO_CLOUD=true
echo "› pnpm install"
pnpm install --frozen-lockfile
echo "› build"
pnpm exec nx run-many -t build --output-style=stream
echo "› demo"
pnpm --filter @infernet/cli run demo
