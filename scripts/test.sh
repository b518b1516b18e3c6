#!/usr/bin/env bash
# Sets up the workspace from scratch and runs every check: install, build, typecheck, lint, test, package shape.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version 2>/dev/null)" != 10.* ]]; then
  echo "› installing pnpm 10 (npm i -g pnpm@10)"
  npm i -g pnpm@10 >/dev/null
fi
export NX_DAEMON=false NX_NO_CLOUD=true
echo "› pnpm install"
pnpm install --frozen-lockfile
echo "› build, typecheck, lint, test, test:build"
pnpm exec nx run-many -t build typecheck lint test test:build --output-style=stream
