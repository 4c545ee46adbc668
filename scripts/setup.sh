#!/usr/bin/env bash
# Installs everything Grove needs to build, run and test, from Debian packages and npm.
# Idempotent: a second run checks and returns quickly. Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  emscripten
  nlohmann-json3-dev doctest-dev libcpp-httplib-dev libsqlite3-dev libssl-dev sqlite3 libboost-dev zlib1g-dev
  libpq-dev postgresql
  fonts-dejavu-core python3-fonttools
  fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
  chromium firefox-esr xvfb xauth
  wrk clang-14 libclang-rt-14-dev libfuzzer-14-dev
  xz-utils dpkg-dev zopfli
)

# Node.js and npm: the machine's own if present (e.g. a newer packaged Node), else Debian's.
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

imgui_dir="third_party/imgui-1.86"
need_src=0
[ -f "$imgui_dir/imgui.cpp" ] || need_src=1

# A deb-src entry derived from the machine's own apt configuration (no host names in this repo).
ensure_deb_src() {
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1 && grep -qs '^Types: deb$' /etc/apt/sources.list.d/debian.sources; then
    [ -f /etc/apt/sources.list.d/grove-src.sources ] || \
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee /etc/apt/sources.list.d/grove-src.sources >/dev/null
  elif [ -f /etc/apt/sources.list ]; then
    [ -f /etc/apt/sources.list.d/grove-src.list ] || \
      sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $SUDO tee /etc/apt/sources.list.d/grove-src.list >/dev/null
  fi
}

if [ ${#missing[@]} -gt 0 ] || [ $need_src -eq 1 ]; then
  [ $need_src -eq 1 ] && ensure_deb_src
  echo "setup: apt-get update"
  $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Dear ImGui 1.86: full sources from Debian's source package, into a git-ignored folder.
if [ $need_src -eq 1 ]; then
  echo "setup: fetching ImGui 1.86 sources (Debian source package)"
  mkdir -p third_party/download
  (cd third_party/download && apt-get source --download-only imgui >/dev/null)
  tarball=$(ls third_party/download/imgui_1.86*.orig.tar.* | head -n 1)
  tar -C third_party -xf "$tarball"
  [ -f "$imgui_dir/imgui.cpp" ] || { echo "setup: ImGui sources not found after extraction" >&2; exit 1; }
fi

# Browser test and benchmark tooling from npm (versions pinned in tests/browser/package.json).
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/puppeteer-core ] ||
   [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  echo "setup: npm install (tests/browser)"
  (cd tests/browser && npm install --no-audit --no-fund --loglevel=error)
fi
# Build tools for the page elements (esbuild, Chart.js; pinned in scripts/package.json).
if [ ! -f scripts/node_modules/esbuild/package.json ] || [ ! -f scripts/node_modules/chart.js/package.json ]; then
  echo "setup: npm ci (scripts: esbuild, Chart.js)"
  (cd scripts && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: ok"
