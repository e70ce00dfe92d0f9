#!/usr/bin/env bash
# Set up othandout on a fresh Debian/Ubuntu machine: system libraries for WeasyPrint, a .venv, the package.
# With --test, also what the tests need: the test extras, Debian's chromium and axe-core (for the web page).
set -euo pipefail
cd "$(dirname "$0")/.."
testing=false
[ "${1:-}" = "--test" ] && testing=true

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# WeasyPrint draws with Pango; libharfbuzz-subset0 makes font subsetting faster and the same on every machine.
packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
# The web page's test opens it in Debian's chromium (driven by playwright); npm fetches axe-core for it.
$testing && packages="$packages chromium"
if command -v apt-get >/dev/null 2>&1; then
  missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  $testing && { command -v npm >/dev/null 2>&1 || missing="$missing npm"; }
  python3 -m venv --help >/dev/null 2>&1 && python3 -c "import ensurepip" 2>/dev/null || missing="$missing python3-venv"
  if [ -n "$(echo $missing)" ]; then
    # Another apt (automatic updates on a new machine) may hold the lock: wait for it rather than fail.
    as_root python3 scripts/wait_for_apt.py
    apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
    as_root "${apt[@]}" update -qq
    as_root "${apt[@]}" install -y -qq $missing >/dev/null
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if $testing; then .venv/bin/python -m pip install -q -e ".[test]"; else .venv/bin/python -m pip install -q -e .; fi
$testing || exit 0

# axe-core (MPL-2.0), the accessibility checker tests/test_web.py runs in chromium, from the npm registry into
# .venv/share/axe/ (pinned; npm checks the tarball against the registry's integrity hash).
AXE_VERSION=4.14.1
axe=.venv/share/axe
if [ "$(cat "$axe/VERSION" 2>/dev/null)" != "$AXE_VERSION" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null && tar -xzf "axe-core-$AXE_VERSION.tgz" package/axe.min.js package/LICENSE)
  mkdir -p "$axe"
  mv "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$axe/"
  echo "$AXE_VERSION" > "$axe/VERSION"
fi
