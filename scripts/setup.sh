# Sourced by demo.sh and test.sh: makes sure pnpm 10 is there and installs the workspace from the lockfile.
if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version 2>/dev/null)" != 10.* ]]; then
  echo "› installing pnpm 10 (npm i -g pnpm@10)"
  npm i -g pnpm@10 >/dev/null
fi
export NX_DAEMON=false NX_NO_CLOUD=true
echo "› pnpm install"
pnpm install --frozen-lockfile
