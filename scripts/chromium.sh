# Sourced by .ci/run: installs Debian's chromium for the browser tests when no Chromium is there (CI runs as root
# on a Debian machine). Elsewhere it only says what is missing; the browser tests then skip and say so.
if ! node -e 'import("./scripts/chromium.mjs").then((m) => process.exit(m.chromiumPath() ? 0 : 1))'; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "› installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null ||
      echo "› could not install chromium: the browser tests will be skipped"
  else
    echo "› no Chromium found: the browser tests will be skipped (apt-get install -y chromium)"
  fi
fi
