#!/usr/bin/env bash
# The Quick start main job: sets up the workspace, builds every package, then starts infernet-node-mock on a free
# port (and a local Anvil devnet) and walks the usage page with the infernet-client CLI against it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "› build"
pnpm exec nx run-many -t build --output-style=stream
echo "› demo"
pnpm --filter @infernet/cli run demo
