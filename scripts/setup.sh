#!/usr/bin/env bash
# Installs what Saraban needs on Debian 12, idempotently: fast when everything is present.
set -euo pipefail

need_pkgs=()
check() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$1"); }
# The bundled letter font (TH Sarabun New scaled ×1.503), the Thai spelling dictionary,
# and the tools the tests look
# at the output with (pdftotext, pdffonts, pdftoppm; hb-shape; zbarimg for QR codes).
for p in fonts-tlwg-laksaman-ttf hunspell-th poppler-utils libharfbuzz-bin fontconfig zbar-tools; do check "$p"; done

if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "setup: installing ${need_pkgs[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing: install Rust 1.88 or newer (rustup) and run again" >&2
  exit 1
fi
